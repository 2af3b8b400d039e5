# Installs the 职业健康工作站 application server as a Windows service (run as administrator).
#   powershell -ExecutionPolicy Bypass -File install-windows-service.ps1 [-Exe C:\occhealth\occhealth.exe] [-Port 8443]
# Uninstall: sc.exe stop occhealth-server; sc.exe delete occhealth-server
param(
    [string]$Exe = "$env:ProgramFiles\occhealth\occhealth.exe",
    [string]$Db = "$env:ProgramData\occhealth\archive.db",
    [string]$Config = "$env:ProgramData\occhealth\config\server",
    [int]$Port = 8443
)
$ErrorActionPreference = "Stop"
$name = "occhealth-server"

if (-not (Test-Path $Exe)) { throw "找不到程序：$Exe" }
New-Item -ItemType Directory -Force -Path $Config | Out-Null

# Create the certificate now and show its fingerprint: workstations compare it at first connection.
& $Exe serve --fingerprint --config $Config
if ($LASTEXITCODE -ne 0) { throw "无法创建服务器证书" }

$bin = "`"$Exe`" serve --db `"$Db`" --listen :$Port --config `"$Config`""
if (Get-Service -Name $name -ErrorAction SilentlyContinue) {
    sc.exe stop $name | Out-Null
    Start-Sleep -Seconds 3
    sc.exe config $name binPath= $bin start= auto | Out-Null
} else {
    sc.exe create $name binPath= $bin start= auto DisplayName= "职业健康工作站服务器" | Out-Null
    sc.exe description $name "职业健康工作站联网服务器（occhealth serve）：各工作站经 HTTPS 连接。" | Out-Null
}
sc.exe failure $name reset= 86400 actions= restart/5000/restart/5000/restart/30000 | Out-Null

# Let the workstations reach the port (domain and private networks only).
if (-not (Get-NetFirewallRule -DisplayName "occhealth server" -ErrorAction SilentlyContinue)) {
    New-NetFirewallRule -DisplayName "occhealth server" -Direction Inbound -Protocol TCP -LocalPort $Port -Action Allow -Profile Domain,Private | Out-Null
}

sc.exe start $name | Out-Null
Write-Host "服务 $name 已安装并启动，端口 $Port。工作站“联网”设置中填写本机地址与端口，并核对上面的证书指纹。"

# Installs the 职业健康工作站 application server as a Windows service (run as administrator).
# Saved as UTF-8 with a byte-order mark: Windows PowerShell 5.1 reads a file without one in the ANSI code page.
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

# The command line the service manager runs (binPath). New-Service takes it as one string:
# passing quoted paths through sc.exe's binPath= breaks in Windows PowerShell 5.1.
$bin = "`"$Exe`" serve --db `"$Db`" --listen :$Port --config `"$Config`""
if (Get-Service -Name $name -ErrorAction SilentlyContinue) {
    sc.exe stop $name | Out-Null
    Start-Sleep -Seconds 3
    sc.exe delete $name | Out-Null
    Start-Sleep -Seconds 2
}
New-Service -Name $name -BinaryPathName $bin -StartupType Automatic -DisplayName "职业健康工作站服务器" `
    -Description "职业健康工作站联网服务器（occhealth serve）：各工作站经 HTTPS 连接。" | Out-Null
sc.exe failure $name reset= 86400 actions= restart/5000/restart/5000/restart/30000 | Out-Null

# Let the workstations reach the port (domain and private networks only).
if (-not (Get-NetFirewallRule -DisplayName "occhealth server" -ErrorAction SilentlyContinue)) {
    New-NetFirewallRule -DisplayName "occhealth server" -Direction Inbound -Protocol TCP -LocalPort $Port -Action Allow -Profile Domain,Private | Out-Null
}

Start-Service -Name $name
Write-Host "服务 $name 已安装并启动，端口 $Port。工作站“联网”设置中填写本机地址与端口，并核对上面的证书指纹。"

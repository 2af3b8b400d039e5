; NSIS installer of 职业健康工作站 (Debian's nsis 3.08, run by scripts/dist-windows.sh).
;
;   makensis -INPUTCHARSET UTF8 -DVERSION=v0.1.0 -DNUMVER=0.1.0.12 -DEXE=/abs/occhealth.exe \
;            -DCOM=/abs/occhealth.com -DICON=/abs/occhealth.ico -DOUTFILE=/abs/occhealth-setup.exe installer.nsi
;
; Installs for all users (admin rights):
;   program        C:\Program Files\occhealth\occhealth.exe (GUI), occhealth.com (the same
;                  program for the console: cmd waits for it and gets its exit code), uninstall.exe
;   data           C:\ProgramData\occhealth   (Modify for BUILTIN\Users, inherited by the archive,
;                  its backups and attachments; the program uses the same folder name)
;   shortcuts      Start menu folder 职业健康工作站, desktop shortcut
;   registry       HKLM uninstall entry, HKLM\Software\occhealth InstallDir
; The uninstaller removes the program and shortcuts and keeps the data folder: it holds the
; archive and its backups, which outlive any installation.

Unicode true
ManifestDPIAware true
ManifestSupportedOS all
RequestExecutionLevel admin
SetCompressor /SOLID lzma

!ifndef VERSION
  !error "define VERSION"
!endif
!ifndef NUMVER
  !error "define NUMVER (a.b.c.d)"
!endif
!ifndef EXE
  !error "define EXE (path of occhealth.exe)"
!endif
!ifndef COM
  !error "define COM (path of occhealth.com, the console build)"
!endif
!ifndef ICON
  !error "define ICON (path of occhealth.ico)"
!endif
!ifndef OUTFILE
  !define OUTFILE "occhealth-setup-${VERSION}.exe"
!endif

!define APPNAME    "职业健康工作站"
!define APPID      "cn.occhealth.workstation"
!define DIRNAME    "occhealth"
!define PUBLISHER  "职业健康工作站"
!define UNINSTKEY  "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APPID}"
!define APPKEY     "Software\occhealth"
; BUILTIN\Users by SID: the group's name is localised on some Windows editions.
!define USERS_SID  "*S-1-5-32-545"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "WinVer.nsh"
!include "x64.nsh"
!include "FileFunc.nsh"

Name "${APPNAME}"
Caption "${APPNAME} ${VERSION} 安装"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${DIRNAME}"
InstallDirRegKey HKLM "${APPKEY}" "InstallDir"
BrandingText "${APPNAME} ${VERSION}"
ShowInstDetails show
ShowUninstDetails show

VIProductVersion "${NUMVER}"
VIFileVersion "${NUMVER}"
VIAddVersionKey /LANG=2052 "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=2052 "FileDescription" "${APPNAME} 安装程序"
VIAddVersionKey /LANG=2052 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "${PUBLISHER}"
VIAddVersionKey /LANG=2052 "FileVersion" "${NUMVER}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_WELCOMEPAGE_TEXT "将在本机安装 ${APPNAME} ${VERSION}。$\r$\n$\r$\n档案数据保存在 $APPDATA\${DIRNAME}，本机所有用户均可使用；卸载程序时不会删除档案数据。$\r$\n$\r$\n单击“下一步”继续。"
; No "run now" box on the finish page: it would start the program with the installer's
; administrator rights.
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

Function .onInit
  ${IfNot} ${RunningX64}
  ${OrIfNot} ${AtLeastWin10}
    MessageBox MB_OK|MB_ICONSTOP "${APPNAME} 需要 64 位 Windows 10 或 Windows 11。" /SD IDOK
    Abort
  ${EndIf}
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Function un.onInit
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Section "${APPNAME}" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  File "/oname=occhealth.exe" "${EXE}"
  File "/oname=occhealth.com" "${COM}"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  ; Machine-wide data folder. ProgramData lets ordinary users create files but not change
  ; files that another user created, so grant Modify to Users, inherited by files and folders.
  ; $APPDATA is C:\ProgramData under SetShellVarContext all.
  CreateDirectory "$APPDATA\${DIRNAME}"
  nsExec::ExecToLog '"$SYSDIR\icacls.exe" "$APPDATA\${DIRNAME}" /grant ${USERS_SID}:(OI)(CI)M /C'
  Pop $0
  ${If} $0 != 0
    DetailPrint "警告：无法设置 $APPDATA\${DIRNAME} 的访问权限（icacls 返回 $0）。"
    MessageBox MB_OK|MB_ICONEXCLAMATION "无法为“Users”组设置数据文件夹的写入权限：$\r$\n$APPDATA\${DIRNAME}$\r$\n$\r$\n非管理员用户可能无法打开档案，请由管理员手动设置。" /SD IDOK
  ${EndIf}

  CreateDirectory "$SMPROGRAMS\${APPNAME}"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk" "$INSTDIR\occhealth.exe" "" "$INSTDIR\occhealth.exe" 0
  CreateShortcut "$SMPROGRAMS\${APPNAME}\卸载 ${APPNAME}.lnk" "$INSTDIR\uninstall.exe"
  CreateShortcut "$DESKTOP\${APPNAME}.lnk" "$INSTDIR\occhealth.exe" "" "$INSTDIR\occhealth.exe" 0

  WriteRegStr HKLM "${APPKEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "${APPKEY}" "DataDir" "$APPDATA\${DIRNAME}"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\occhealth.exe,0"
  WriteRegStr HKLM "${UNINSTKEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTKEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKLM "${UNINSTKEY}" "EstimatedSize" "$0"
SectionEnd

Section "Uninstall"
  Delete "$INSTDIR\occhealth.exe"
  Delete "$INSTDIR\occhealth.com"
  ; Mesa's software OpenGL, if an administrator put it beside the program (see README, 故障排除).
  Delete "$INSTDIR\opengl32.dll"
  Delete "$INSTDIR\libgallium_wgl.dll"
  Delete "$INSTDIR\libglapi.dll"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"

  Delete "$DESKTOP\${APPNAME}.lnk"
  Delete "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk"
  Delete "$SMPROGRAMS\${APPNAME}\卸载 ${APPNAME}.lnk"
  RMDir "$SMPROGRAMS\${APPNAME}"

  DeleteRegKey HKLM "${UNINSTKEY}"
  DeleteRegKey HKLM "${APPKEY}"

  ; The archive and its backups stay.
  DetailPrint "档案数据未删除：$APPDATA\${DIRNAME}"
  MessageBox MB_OK|MB_ICONINFORMATION "程序已卸载。$\r$\n$\r$\n档案数据仍保存在 $APPDATA\${DIRNAME}，如确实不再需要，请先备份再手动删除。" /SD IDOK
SectionEnd

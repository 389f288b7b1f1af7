; The Windows installer of 绩效自评报告编制助手 (NSIS 3, built on Linux by packaging/windows/build.sh).
;
;   makensis -INPUTCHARSET UTF8 -DVERSION=0.1.0 -DAPPDIR=…/jxzp -DOUTFILE=…-setup.exe \
;            -DICON=…/jxzp.ico -DINSTALLED_KB=… packaging/windows/installer.nsi
;
; Per user, no administrator rights: the program goes to %LOCALAPPDATA%\Programs\<name>, the
; Start-menu entry, the .jxzp association and the "Apps & features" entry to HKCU. The
; uninstaller removes exactly those and leaves the user's reports alone: they live in
; %LOCALAPPDATA%\jxzp (platformdirs' user data folder, desktop_app/app.py default_data_dir),
; which is not the program folder. Windows 10 1809 (build 17763) or newer, x64 only, as Qt 6.
; Silent: setup.exe /S [/D=C:\path] and uninstall.exe /S.

Unicode true
Target amd64-unicode
ManifestDPIAware true
SetCompressor /SOLID lzma
SetCompressorDictSize 64
RequestExecutionLevel user

!include MUI2.nsh
!include LogicLib.nsh
!include WinVer.nsh
!include FileFunc.nsh

!define NAME "绩效自评报告编制助手"
!define APPID "jxzp"
!define PROGID "jxzp.report"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APPID}"
!define MIN_BUILD 17763 ; Windows 10 1809: the oldest Windows Qt 6 runs on

Name "${NAME}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${NAME}"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
BrandingText "${NAME} ${VERSION}"
VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=2052 "ProductName" "${NAME}"
VIAddVersionKey /LANG=2052 "FileDescription" "${NAME} 安装程序"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "${NAME}"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\jxzp.exe"
!define MUI_FINISHPAGE_RUN_TEXT "启动${NAME}"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

; The build number from the registry (what winver shows); WinVer's own check as a fallback.
!macro REQUIRE_WINDOWS_10_1809
  ReadRegStr $0 HKLM "SOFTWARE\Microsoft\Windows NT\CurrentVersion" "CurrentBuildNumber"
  ${If} $0 == ""
    ${IfNot} ${AtLeastBuild} ${MIN_BUILD}
      StrCpy $0 0
    ${Else}
      StrCpy $0 ${MIN_BUILD}
    ${EndIf}
  ${EndIf}
  ${If} $0 < ${MIN_BUILD}
    MessageBox MB_ICONSTOP|MB_OK "${NAME}需要 Windows 10（1809 版，内部版本 17763）或更新的 64 位 Windows，$\r$\n例如 Windows 10 21H2、22H2 或 Windows 11。$\r$\n$\r$\n这台电脑的 Windows 内部版本是 $0，无法安装。Windows 7、8 和较早的 Windows 10 不受支持：程序所用的 Qt 6 界面库不能在这些系统上运行。" /SD IDOK
    SetErrorLevel 3
    Quit
  ${EndIf}
!macroend

Function .onInit
  !insertmacro REQUIRE_WINDOWS_10_1809
FunctionEnd

Section "Install"
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  ; An update replaces the whole program: no file of an older version is left behind.
  RMDir /r "$INSTDIR\_internal"
  File /r "${APPDIR}/*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortCut "$SMPROGRAMS\${NAME}.lnk" "$INSTDIR\jxzp.exe" "" "$INSTDIR\jxzp.exe" 0

  ; .jxzp → ProgID → "jxzp.exe" "%1" (per user: HKCU\Software\Classes)
  WriteRegStr HKCU "Software\Classes\.jxzp" "" "${PROGID}"
  WriteRegStr HKCU "Software\Classes\.jxzp" "Content Type" "application/x-jxzp"
  WriteRegStr HKCU "Software\Classes\${PROGID}" "" "绩效自评报告"
  WriteRegStr HKCU "Software\Classes\${PROGID}\DefaultIcon" "" "$INSTDIR\jxzp.exe,0"
  WriteRegStr HKCU "Software\Classes\${PROGID}\shell" "" "open"
  WriteRegStr HKCU "Software\Classes\${PROGID}\shell\open\command" "" '"$INSTDIR\jxzp.exe" "%1"'
  WriteRegStr HKCU "Software\Classes\Applications\jxzp.exe\SupportedTypes" ".jxzp" ""
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)' ; SHCNE_ASSOCCHANGED

  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${NAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\jxzp.exe,0"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${NAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" ${INSTALLED_KB}
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  SetShellVarContext current
  ; Only what the installer put there: a folder chosen by the user may hold other files.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\jxzp.exe"
  Delete "$INSTDIR\jxzp-cli.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${NAME}.lnk"

  ReadRegStr $0 HKCU "Software\Classes\.jxzp" ""
  ${If} $0 == "${PROGID}"
    DeleteRegKey HKCU "Software\Classes\.jxzp"
  ${EndIf}
  DeleteRegKey HKCU "Software\Classes\${PROGID}"
  DeleteRegKey HKCU "Software\Classes\Applications\jxzp.exe"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
  ; The reports stay: %LOCALAPPDATA%\jxzp is the user's data, not the program's.
SectionEnd

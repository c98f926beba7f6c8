; Kyso for Windows: the 64-bit installer (NSIS 3, Unicode). Built offline by
; scripts/package.sh:
;   makensis -DVERSION=0.1.0 -DSRCDIR=<folder with the files> -DOUTFILE=<installer.exe>
;            [-DSIGN_UNINSTALLER=<command that signs the file named after it>] kyso.nsi
; It installs, for every user of the computer (so it asks for administrator rights):
;   - Kyso (kyso-app.exe with WebView2Loader.dll beside it) and the kyso command line (kyso.exe),
;     in C:\Program Files\Kyso; that folder is added to the system PATH;
;   - a Start-menu entry;
;   - "Ký số bằng Kyso" and "Kiểm tra chữ ký" on the right-click menu of PDF files;
;   - an uninstaller (Settings > Apps, or "Gỡ Kyso" in the Start menu).
; Run again (or a newer one) to upgrade in place. Settings, the trust store and the organisation
; profile (%APPDATA%\Kyso) and the signing journal (%LOCALAPPDATA%\Kyso) belong to each user and
; are never touched, by an upgrade or by the uninstaller.
; Silent: Kyso-<version>-setup.exe /S [/D=C:\Path]   uninstall: "<folder>\uninstall.exe" /S

Unicode true
Target amd64-unicode
ManifestDPIAware true
SetCompressor /SOLID lzma
RequestExecutionLevel admin

!ifndef VERSION
  !error "pass -DVERSION=x.y.z"
!endif
!ifndef SRCDIR
  !error "pass -DSRCDIR=folder"
!endif
!ifndef OUTFILE
  !define OUTFILE "Kyso-${VERSION}-setup.exe"
!endif
!ifdef SIGN_UNINSTALLER
  ; The uninstaller is written inside the installer; sign it before it is packed (NSIS 3.08).
  !uninstfinalize '${SIGN_UNINSTALLER} "%1"'
!endif

!define PRODUCT "Kyso"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Kyso"
!define ENV_KEY "SYSTEM\CurrentControlSet\Control\Session Manager\Environment"
!define PDF_MENU "Software\Classes\SystemFileAssociations\.pdf\shell"
!define APP_PATHS "Software\Microsoft\Windows\CurrentVersion\App Paths"
!define WEBVIEW2_GUID "{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "WordFunc.nsh"
!include "x64.nsh"
!include "WinMessages.nsh"

Name "Kyso ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\Kyso"
InstallDirRegKey HKLM "${UNINST_KEY}" "InstallLocation"
BrandingText "Kyso ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "Kyso"
VIAddVersionKey /LANG=0 "FileDescription" "Kyso — ký số văn bản (installer)"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "LegalCopyright" "Apache-2.0"

!define MUI_ICON "${SRCDIR}\kyso.ico"
!define MUI_UNICON "${SRCDIR}\kyso.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\kyso-app.exe"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; The first language is the default; Windows' own language picks English where it is English.
!insertmacro MUI_LANGUAGE "Vietnamese"
!insertmacro MUI_LANGUAGE "English"

LangString MsgNotX64 ${LANG_VIETNAMESE} "Kyso cần Windows 64-bit."
LangString MsgNotX64 ${LANG_ENGLISH} "Kyso needs 64-bit Windows."
LangString MsgRunning ${LANG_VIETNAMESE} "Kyso đang mở. Hãy đóng Kyso rồi bấm Thử lại."
LangString MsgRunning ${LANG_ENGLISH} "Kyso is open. Close it, then press Retry."
LangString MsgWebView2 ${LANG_VIETNAMESE} "Máy tính này chưa có Microsoft Edge WebView2 Runtime, phần mềm Kyso cần để hiển thị cửa sổ (Windows 10/11 thường đã có sẵn). Hãy cài WebView2 Runtime miễn phí của Microsoft tại https://go.microsoft.com/fwlink/p/?LinkId=2124703 hoặc nhờ bộ phận CNTT. Lệnh kyso vẫn dùng được ngay."
LangString MsgWebView2 ${LANG_ENGLISH} "This computer does not have the Microsoft Edge WebView2 Runtime, which Kyso needs to show its window (Windows 10/11 normally have it). Install Microsoft's free WebView2 Runtime from https://go.microsoft.com/fwlink/p/?LinkId=2124703 or ask your IT department. The kyso command line works already."
LangString MsgPathLong ${LANG_VIETNAMESE} "Biến PATH của hệ thống quá dài nên không thêm thư mục Kyso vào; hãy gọi lệnh kyso bằng đường dẫn đầy đủ: "
LangString MsgPathLong ${LANG_ENGLISH} "The system PATH is too long to add Kyso's folder safely; run the kyso command with its full path: "
LangString MenuSign ${LANG_VIETNAMESE} "Ký số bằng Kyso"
LangString MenuSign ${LANG_ENGLISH} "Ký số bằng Kyso"
LangString MenuCheck ${LANG_VIETNAMESE} "Kiểm tra chữ ký"
LangString MenuCheck ${LANG_ENGLISH} "Kiểm tra chữ ký"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "$(MsgNotX64)" /SD IDOK
    Abort
  ${EndIf}
  SetRegView 64
FunctionEnd

Function un.onInit
  SetRegView 64
FunctionEnd

; The program files can be replaced only while Kyso (the app, or a `kyso serve`) is closed: a
; running program cannot be opened for writing.
!macro CloseCheck FILE ID
  ${If} ${FileExists} "$INSTDIR\${FILE}"
    retry_${ID}:
    ClearErrors
    FileOpen $9 "$INSTDIR\${FILE}" a
    ${If} ${Errors}
      MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(MsgRunning)" /SD IDCANCEL IDRETRY retry_${ID}
      SetErrorLevel 5
      Quit
    ${EndIf}
    FileClose $9
  ${EndIf}
!macroend

Section "Kyso" Main
  SectionIn RO
  SetShellVarContext all
  SetOutPath "$INSTDIR"
  !insertmacro CloseCheck "kyso-app.exe" app
  !insertmacro CloseCheck "kyso.exe" cli
  File "${SRCDIR}\kyso-app.exe"
  File "${SRCDIR}\WebView2Loader.dll"
  File "${SRCDIR}\kyso.exe"
  File "${SRCDIR}\kyso.ico"
  File "${SRCDIR}\LICENSE.txt"
  File "${SRCDIR}\README.txt"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  ; Start menu (Vietnamese names; the shortcut to the uninstaller beside it).
  CreateDirectory "$SMPROGRAMS\Kyso"
  CreateShortcut "$SMPROGRAMS\Kyso\Kyso - Ký số văn bản.lnk" "$INSTDIR\kyso-app.exe" "" "$INSTDIR\kyso.ico"
  CreateShortcut "$SMPROGRAMS\Kyso\Gỡ Kyso.lnk" "$INSTDIR\uninstall.exe"

  ; Right-click menu of every PDF, whatever program opens PDFs.
  WriteRegStr HKLM "${PDF_MENU}\KysoSign" "MUIVerb" "$(MenuSign)"
  WriteRegStr HKLM "${PDF_MENU}\KysoSign" "Icon" "$INSTDIR\kyso.ico"
  WriteRegStr HKLM "${PDF_MENU}\KysoSign\command" "" '"$INSTDIR\kyso-app.exe" --sign "%1"'
  WriteRegStr HKLM "${PDF_MENU}\KysoCheck" "MUIVerb" "$(MenuCheck)"
  WriteRegStr HKLM "${PDF_MENU}\KysoCheck" "Icon" "$INSTDIR\kyso.ico"
  WriteRegStr HKLM "${PDF_MENU}\KysoCheck\command" "" '"$INSTDIR\kyso-app.exe" --check "%1"'

  ; `kyso` from Run (Win+R) and from any console: App Paths, and the folder on the system PATH
  ; (once; NSIS strings hold 1024 characters, so a PATH near that length is left alone).
  WriteRegStr HKLM "${APP_PATHS}\kyso.exe" "" "$INSTDIR\kyso.exe"
  WriteRegStr HKLM "${APP_PATHS}\kyso-app.exe" "" "$INSTDIR\kyso-app.exe"
  ReadRegStr $0 HKLM "${ENV_KEY}" "Path"
  ClearErrors
  ${WordFind} ";$0;" ";$INSTDIR;" "E*" $2
  ${If} ${Errors}
    StrLen $3 "$0"
    ${If} $3 > 900
      DetailPrint "$(MsgPathLong)$INSTDIR\kyso.exe"
      MessageBox MB_ICONINFORMATION "$(MsgPathLong)$INSTDIR\kyso.exe" /SD IDOK
    ${Else}
      ${If} "$0" == ""
        WriteRegExpandStr HKLM "${ENV_KEY}" "Path" "$INSTDIR"
      ${Else}
        WriteRegExpandStr HKLM "${ENV_KEY}" "Path" "$0;$INSTDIR"
      ${EndIf}
      SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=3000
    ${EndIf}
  ${EndIf}

  ; Settings > Apps.
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayName" "Kyso — Ký số văn bản"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINST_KEY}" "Publisher" "Kyso"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\kyso.ico"
  WriteRegStr HKLM "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoRepair" 1

  ; The window needs Microsoft's WebView2 runtime (per machine, or per user).
  ReadRegStr $4 HKLM "SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_GUID}" "pv"
  ${If} $4 == ""
  ${OrIf} $4 == "0.0.0.0"
    ReadRegStr $4 HKCU "Software\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_GUID}" "pv"
  ${EndIf}
  ${If} $4 == ""
  ${OrIf} $4 == "0.0.0.0"
    DetailPrint "$(MsgWebView2)"
    MessageBox MB_ICONEXCLAMATION "$(MsgWebView2)" /SD IDOK
  ${EndIf}
SectionEnd

Section "Uninstall"
  SetShellVarContext all
  Delete "$INSTDIR\kyso-app.exe"
  Delete "$INSTDIR\WebView2Loader.dll"
  Delete "$INSTDIR\kyso.exe"
  Delete "$INSTDIR\kyso.ico"
  Delete "$INSTDIR\LICENSE.txt"
  Delete "$INSTDIR\README.txt"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\Kyso\Kyso - Ký số văn bản.lnk"
  Delete "$SMPROGRAMS\Kyso\Gỡ Kyso.lnk"
  RMDir "$SMPROGRAMS\Kyso"
  DeleteRegKey HKLM "${PDF_MENU}\KysoSign"
  DeleteRegKey HKLM "${PDF_MENU}\KysoCheck"
  DeleteRegKey HKLM "${APP_PATHS}\kyso.exe"
  DeleteRegKey HKLM "${APP_PATHS}\kyso-app.exe"
  ; Take our folder out of the system PATH, leaving every other entry as it was.
  ReadRegStr $0 HKLM "${ENV_KEY}" "Path"
  StrLen $3 "$0"
  ${If} $3 < 1000
    ${WordReplace} "$0" ";$INSTDIR" "" "+" $1
    ${WordReplace} "$1" "$INSTDIR;" "" "+" $1
    ${If} "$1" == "$INSTDIR"
      StrCpy $1 ""
    ${EndIf}
    ${If} "$1" != "$0"
      WriteRegExpandStr HKLM "${ENV_KEY}" "Path" "$1"
      SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=3000
    ${EndIf}
  ${EndIf}
  DeleteRegKey HKLM "${UNINST_KEY}"
SectionEnd

; Registers the replydesk: scheme for this user when the NSIS installer runs (issue #21 item 7),
; so a link opens Replydesk before its first start; the app also registers itself
; (setAsDefaultProtocolClient). electron-builder's `protocols` option is macOS-only.
; HKCU: the installer is per-user (nsis.perMachine false) and never asks for elevation.
!macro customInstall
  WriteRegStr HKCU "Software\Classes\replydesk" "" "URL:Replydesk"
  WriteRegStr HKCU "Software\Classes\replydesk" "URL Protocol" ""
  WriteRegStr HKCU "Software\Classes\replydesk\DefaultIcon" "" "$INSTDIR\${APP_EXECUTABLE_FILENAME},0"
  WriteRegStr HKCU "Software\Classes\replydesk\shell\open\command" "" '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" "%1"'
!macroend

!macro customUnInstall
  DeleteRegKey HKCU "Software\Classes\replydesk"
!macroend

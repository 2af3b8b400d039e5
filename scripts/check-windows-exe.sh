#!/usr/bin/env bash
# check-windows-exe.sh EXE [gui|console] — what can be checked of a Windows build without Windows.
#
# - It is a 64-bit PE of the given subsystem (default gui: no console window on double-click).
# - It imports only DLLs that every Windows 10/11 has (allow-list below): a DLL outside it
#   (libgcc, libwinpthread, a mingw runtime, glfw3.dll…) would make the .exe fail to start
#   on a clean PC with "找不到 xxx.dll".
# - It carries resources: a .rsrc section with an icon, the manifest (PerMonitorV2, asInvoker,
#   the Windows 10 supportedOS GUID) and version information.
set -euo pipefail

exe=${1:?usage: check-windows-exe.sh EXE [gui|console]}
want_subsystem=${2:-gui}
objdump=${OBJDUMP:-x86_64-w64-mingw32-objdump}
windres=${WINDRES:-x86_64-w64-mingw32-windres}
fail() { echo "check-windows-exe: FAIL: $*" >&2; exit 1; }

# System DLLs (upper case). Extend only with DLLs that ship with every Windows 10/11.
allowed=" KERNEL32.DLL USER32.DLL GDI32.DLL OPENGL32.DLL SHELL32.DLL OLE32.DLL OLEAUT32.DLL
 WINMM.DLL ADVAPI32.DLL IMM32.DLL MSVCRT.DLL WS2_32.DLL NTDLL.DLL DWMAPI.DLL UXTHEME.DLL
 COMDLG32.DLL COMCTL32.DLL SHLWAPI.DLL VERSION.DLL WINSPOOL.DRV CRYPT32.DLL BCRYPT.DLL
 SETUPAPI.DLL HID.DLL DINPUT8.DLL XINPUT1_4.DLL SECUR32.DLL IPHLPAPI.DLL USERENV.DLL
 POWRPROF.DLL NETAPI32.DLL MSWSOCK.DLL DNSAPI.DLL WINHTTP.DLL "

headers=$("$objdump" -p "$exe")
grep -q 'file format pei-x86-64' <<<"$("$objdump" -f "$exe")" || fail "$exe is not a PE32+ x86-64 file"
case "$want_subsystem" in
gui) grep -Eq '^Subsystem[[:space:]]+0*2[[:space:]]' <<<"$headers" || fail "$exe is not a GUI-subsystem binary (-H=windowsgui missing?)" ;;
console) grep -Eq '^Subsystem[[:space:]]+0*3[[:space:]]' <<<"$headers" || fail "$exe is not a console-subsystem binary" ;;
*) fail "subsystem must be gui or console, not $want_subsystem" ;;
esac

dlls=$(sed -n 's/^[[:space:]]*DLL Name:[[:space:]]*//p' <<<"$headers" | tr -d '\r' | sort -u)
[ -n "$dlls" ] || fail "no imported DLLs found in $exe"
echo "check-windows-exe: $exe imports:"
bad=()
while read -r dll; do
	up=$(tr '[:lower:]' '[:upper:]' <<<"$dll")
	if [[ "$allowed" == *" $up "* ]]; then
		echo "  $dll"
	else
		echo "  $dll   <-- not a Windows system DLL"
		bad+=("$dll")
	fi
done <<<"$dlls"
[ "${#bad[@]}" -eq 0 ] || fail "imports DLLs a clean Windows lacks: ${bad[*]}"

"$objdump" -h "$exe" | grep -q '[[:space:]]\.rsrc[[:space:]]' || fail "no .rsrc section (icon, manifest, version info missing)"
rc=$("$windres" -J coff -i "$exe" -O rc 2>/dev/null) || fail "windres cannot read the resources of $exe"
grep -q 'RT_ICON' <<<"$rc" || fail "no icon resource"
grep -q 'RT_GROUP_ICON' <<<"$rc" || fail "no icon group resource"
grep -q 'VERSIONINFO' <<<"$rc" || fail "no version information"
grep -q 'RT_MANIFEST' <<<"$rc" || fail "no manifest resource"
for want in PerMonitorV2 asInvoker '8e0f7a12-bfb3-4fe8-b9a5-48fd50a15a9a'; do
	grep -q "$want" <<<"$rc" || fail "manifest lacks $want"
done
grep -q 'ProductName' <<<"$rc" || fail "version information lacks ProductName"
echo "check-windows-exe: $exe: $want_subsystem subsystem; .rsrc has icon, manifest (PerMonitorV2, asInvoker, Windows 10/11), version info"
echo "check-windows-exe: ok"

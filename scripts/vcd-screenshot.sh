#!/usr/bin/env bash
# A GTKWave screenshot of a scenario's waveform, as in docs/vcd.md:
#   scripts/vcd-screenshot.sh SCENARIO OUT.png FROM TO [SIGNAL...]
# runs SCENARIO with --vcd, opens it in GTKWave under Xvfb, shows the SIGNALs
# (hierarchical names, e.g. hypsim.vcpu0.stip; default: all) from FROM to TO
# (in the file's time unit: ns at 1 GHz, docs/vcd.md) and grabs the window to OUT.png.
# Needs gtkwave and xvfb (apt-get install gtkwave xvfb xauth); not part of the tests.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
scn=$1 out=$2 from=$3 to=$4
shift 4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$src/build/tools/hypsim" run -q --guest-dir "$src/build/guest" --vcd "$tmp/run.vcd" "$scn" > /dev/null
{
	if [ $# -eq 0 ]; then
		echo 'set sigs [list]'
		echo 'for {set i 0} {$i < [gtkwave::getNumFacs]} {incr i} { lappend sigs [gtkwave::getFacName $i] }'
	else
		echo "set sigs [list $*]"
	fi
	echo 'gtkwave::addSignalsFromList $sigs'
	echo "gtkwave::setZoomRangeTimes $from $to"
	echo "gtkwave::/File/Grab_To_File {$tmp/shot.png}"
	echo 'gtkwave::/File/Quit'
} > "$tmp/shot.tcl"
timeout 60 xvfb-run -a -s "-screen 0 1280x480x24" gtkwave --rcvar 'hide_sst on' --rcvar 'splash_disable on' \
	--rcvar 'initial_window_x 1280' --rcvar 'initial_window_y 440' -S "$tmp/shot.tcl" "$tmp/run.vcd" > "$tmp/log" 2>&1
cp "$tmp/shot.png" "$out"
echo "$out"

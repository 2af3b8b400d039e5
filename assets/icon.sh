#!/bin/sh
# icon.sh draws assets/icon.png, the application icon: a green rounded square
# with a white medical cross and the character 职 set in the bundled
# WenQuanYi Micro Hei. Run it after changing the design: sh assets/icon.sh
# (needs ImageMagick's convert; the output carries no timestamps).
set -eu
cd "$(dirname "$0")"
convert -size 512x512 xc:none \
	-fill '#2E7D32' -draw 'roundrectangle 16,16 495,495 96,96' \
	-fill white -draw 'rectangle 394,48 422,132' -draw 'rectangle 366,76 450,104' \
	-font fonts/wqy-microhei.ttf -pointsize 270 -fill white \
	-gravity center -annotate +0+40 '职' \
	-depth 8 -strip -define png:exclude-chunks=date,time \
	icon.png

package pdf

import (
	"fmt"

	"github.com/signintech/gopdf"
)

// PDF finishes the document and writes it. The bytes depend only on what was drawn and on
// Options.Info: fonts are subset in first-use order, images embedded by key, and no clock is
// read. A document with runes no font has still renders (they print as Placeholder); check
// Missing or MissingErr.
func (d *Document) PDF() ([]byte, error) {
	d.finish()
	if len(d.layout.Pages) == 0 {
		d.AddPage()
	}
	var gp gopdf.GoPdf
	gp.Start(gopdf.Config{Unit: gopdf.UnitPT, PageSize: gopdf.Rect{W: d.opt.Page.W, H: d.opt.Page.H}})
	if in := d.opt.Info; in != (Info{}) {
		gp.SetInfo(gopdf.PdfInfo{Title: in.Title, Author: in.Author, Subject: in.Subject,
			Creator: in.Creator, Producer: in.Producer, CreationDate: in.Created})
	}
	added := map[string]bool{}
	holders := map[string]gopdf.ImageHolder{}
	curFont, curSize := "", 0.0
	black := RGB{}
	for _, p := range d.layout.Pages {
		gp.AddPageWithOption(gopdf.PageOption{PageSize: &gopdf.Rect{W: float64(p.W), H: float64(p.H)}})
		curFont = "" // fonts are set per content stream
		for _, b := range p.Boxes {
			switch b.Kind {
			case KindText:
				col := black
				if b.Color != nil {
					col = *b.Color
				}
				gp.SetTextColor(col.R, col.G, col.B)
				runs := b.Runs
				if len(runs) == 0 {
					runs = []Run{{Font: b.Font, Text: b.Text}}
				}
				for _, r := range runs {
					if !added[r.Font] {
						if err := gp.AddTTFFontFromFontContainer(r.Font, &d.fonts.container); err != nil {
							return nil, fmt.Errorf("font %s: %w", r.Font, err)
						}
						added[r.Font] = true
					}
					if r.Font != curFont || float64(b.Size) != curSize {
						if err := gp.SetFont(r.Font, "", float64(b.Size)); err != nil {
							return nil, fmt.Errorf("font %s: %w", r.Font, err)
						}
						curFont, curSize = r.Font, float64(b.Size)
					}
					gp.SetXY(float64(b.X+r.X), float64(b.Baseline))
					if err := gp.Text(r.Text); err != nil {
						return nil, fmt.Errorf("text %q: %w", r.Text, err)
					}
				}
			case KindRect:
				style := ""
				if b.Stroke > 0 {
					gp.SetLineWidth(float64(b.Stroke))
					gp.SetStrokeColor(0, 0, 0)
					style = "D"
				}
				if b.Fill != nil {
					gp.SetFillColor(b.Fill.R, b.Fill.G, b.Fill.B)
					style = "F" + style
				}
				if style == "" {
					continue
				}
				gp.RectFromUpperLeftWithStyle(float64(b.X), float64(b.Y), float64(b.W), float64(b.H), style)
				if b.Fill != nil {
					// gopdf's fill colour also colours the text drawn after it.
					gp.SetFillColor(0, 0, 0)
				}
			case KindLine:
				gp.SetLineWidth(float64(b.Stroke))
				gp.SetStrokeColor(0, 0, 0)
				gp.Line(float64(b.X), float64(b.Y), float64(b.X+b.W), float64(b.Y+b.H))
			case KindImage:
				h, ok := holders[b.Image]
				if !ok {
					var err error
					if h, err = gopdf.ImageHolderByBytes(d.images[b.Image]); err != nil {
						return nil, fmt.Errorf("image %s: %w", b.Image, err)
					}
					holders[b.Image] = h
				}
				if err := gp.ImageByHolder(h, float64(b.X), float64(b.Y), &gopdf.Rect{W: float64(b.W), H: float64(b.H)}); err != nil {
					return nil, fmt.Errorf("image %s: %w", b.Image, err)
				}
			}
		}
	}
	return gp.GetBytesPdfReturnErr()
}

package pdf

import (
	"compress/zlib"
	"fmt"
	"slices"

	"github.com/signintech/gopdf"
)

// PDF finishes the document and writes it. The bytes depend only on what was drawn and on
// Options.Info: fonts are subset in first-use order, images embedded by key, and no clock is
// read. A document with runes no font has still renders (they print as Placeholder); check
// Missing or MissingErr.
func (d *Document) PDF() ([]byte, error) {
	if len(d.layout.Pages) == 0 {
		d.AddPage()
	}
	if d.err != nil {
		return nil, d.err
	}
	d.number(len(d.layout.Pages))
	if err := d.render(len(d.layout.Pages)); err != nil {
		return nil, err
	}
	b, err := d.r.gp.GetBytesPdfReturnErr()
	if err != nil {
		return nil, err
	}
	if d.r.added[family[rare]] {
		if b, err = fixToUnicode(b); err != nil {
			return nil, err
		}
	}
	return compressStreams(b, zlib.DefaultCompression)
}

// renderer holds the gopdf document that pages are drawn into, in order.
type renderer struct {
	gp      gopdf.GoPdf
	added   map[string]bool
	holders map[string]gopdf.ImageHolder
	curFont string
	curSize float64
	done    int // pages drawn
}

// render draws pages [r.done, upTo) into gopdf. With Options.Stream it then drops their boxes
// and images: a batch holds one section of layout at a time.
func (d *Document) render(upTo int) error {
	if d.r == nil {
		r := &renderer{added: map[string]bool{}, holders: map[string]gopdf.ImageHolder{}}
		r.gp.Start(gopdf.Config{Unit: gopdf.UnitPT, PageSize: gopdf.Rect{W: d.opt.Page.W, H: d.opt.Page.H}})
		r.gp.SetNoCompression() // compressStreams deflates the contents afterwards
		if in := d.opt.Info; in != (Info{}) {
			r.gp.SetInfo(gopdf.PdfInfo{Title: in.Title, Author: in.Author, Subject: in.Subject,
				Creator: in.Creator, Producer: in.Producer, CreationDate: in.Created})
		}
		d.r = r
		if d.opt.SubsetFonts && !d.opt.Stream {
			if err := d.addCutFonts(); err != nil {
				return err
			}
		}
	}
	for ; d.r.done < upTo; d.r.done++ {
		p := d.layout.Pages[d.r.done]
		if err := d.renderPage(p); err != nil {
			return err
		}
		if d.opt.Stream {
			p.Boxes = nil
		}
	}
	if d.opt.Stream {
		clear(d.images)
		clear(d.r.holders)
	}
	return nil
}

func (d *Document) renderPage(p *Page) error {
	r := d.r
	gp := &r.gp
	black := RGB{}
	r.gp.AddPageWithOption(gopdf.PageOption{PageSize: &gopdf.Rect{W: float64(p.W), H: float64(p.H)}})
	r.curFont = "" // fonts are set per content stream
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
			for _, run := range runs {
				if !r.added[run.Font] {
					if err := gp.AddTTFFontFromFontContainer(run.Font, &d.fonts.container); err != nil {
						return fmt.Errorf("font %s: %w", run.Font, err)
					}
					r.added[run.Font] = true
				}
				if run.Font != r.curFont || float64(b.Size) != r.curSize {
					if err := gp.SetFont(run.Font, "", float64(b.Size)); err != nil {
						return fmt.Errorf("font %s: %w", run.Font, err)
					}
					r.curFont, r.curSize = run.Font, float64(b.Size)
				}
				gp.SetXY(float64(b.X+run.X), float64(b.Baseline))
				if err := gp.Text(run.Text); err != nil {
					return fmt.Errorf("text %q: %w", run.Text, err)
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
			h, ok := r.holders[b.Image]
			if !ok {
				var err error
				if h, err = gopdf.ImageHolderByBytes(d.images[b.Image]); err != nil {
					return fmt.Errorf("image %s: %w", b.Image, err)
				}
				r.holders[b.Image] = h
			}
			if err := gp.ImageByHolder(h, float64(b.X), float64(b.Y), &gopdf.Rect{W: float64(b.W), H: float64(b.H)}); err != nil {
				return fmt.Errorf("image %s: %w", b.Image, err)
			}
		}
	}
	return nil
}

// addCutFonts registers, for every font the layout uses, a cut of it to the characters it
// prints (SubsetFonts). The rare cut is small already and has supplementary-plane runes,
// which the cut's format 4 cmap cannot hold: it is embedded as it is.
func (d *Document) addCutFonts() error {
	runes := map[string]map[rune]bool{}
	note := func(font, text string) {
		if runes[font] == nil {
			runes[font] = map[rune]bool{}
		}
		for _, r := range text {
			runes[font][r] = true
		}
	}
	for _, p := range d.layout.Pages {
		for _, b := range p.Boxes {
			if b.Kind != KindText {
				continue
			}
			if len(b.Runs) == 0 {
				note(b.Font, b.Text)
			}
			for _, run := range b.Runs {
				note(run.Font, run.Text)
			}
		}
	}
	for f := font(0); f < numFonts; f++ {
		rs := runes[family[f]]
		if len(rs) == 0 || f == rare {
			continue
		}
		list := make([]rune, 0, len(rs))
		for r := range rs {
			list = append(list, r)
		}
		slices.Sort(list)
		fs := d.fonts
		cut, err := subsetTTF(fs.data[f], list, func(r rune) int { return int(fs.glyph(f, r)) })
		if err != nil {
			return fmt.Errorf("cut font %s: %w", family[f], err)
		}
		if err := d.r.gp.AddTTFFontData(family[f], cut); err != nil {
			return fmt.Errorf("font %s: %w", family[f], err)
		}
		d.r.added[family[f]] = true
	}
	return nil
}

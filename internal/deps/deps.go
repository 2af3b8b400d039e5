// Package deps pins the fixed dependencies of TECH.md in go.mod while the packages that use
// them are being written. Delete an import once a real package uses it.
package deps

import (
	_ "fyne.io/fyne/v2"
	_ "fyne.io/fyne/v2/app"
	_ "fyne.io/fyne/v2/test"
	_ "fyne.io/fyne/v2/widget"
	_ "github.com/boombuler/barcode"
	_ "github.com/signintech/gopdf"
	_ "github.com/xuri/excelize/v2"
	_ "golang.org/x/text/encoding/simplifiedchinese"
)

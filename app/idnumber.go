package app

import (
	"strings"
	"time"
)

// DocType is the kind of identity document (身份证件类型). National codes from WS 364.3
// CV02.01.101 (exchange spec 附录 2 §2); codes starting with L are local additions that the
// national table lacks, mapped by the export adapters.
type DocType string

const (
	DocResidentID       DocType = "01"  // 居民身份证
	DocPassport         DocType = "03"  // 护照
	DocHKMacauPass      DocType = "06"  // 港澳居民来往内地通行证
	DocTaiwanPass       DocType = "07"  // 台湾居民来往内地通行证
	DocHMTResidence     DocType = "L01" // 港澳台居民居住证 (local)
	DocForeignPermanent DocType = "L02" // 外国人永久居留身份证 (local)
	DocOther            DocType = "L99" // 其他 (local)
)

// DocTypes lists the document types offered in forms, most common first.
var DocTypes = []DocType{DocResidentID, DocHMTResidence, DocForeignPermanent, DocPassport, DocHKMacauPass, DocTaiwanPass, DocOther}

var docTypeNames = map[DocType]string{
	DocResidentID: "居民身份证", DocPassport: "护照", DocHKMacauPass: "港澳居民来往内地通行证",
	DocTaiwanPass: "台湾居民来往内地通行证", DocHMTResidence: "港澳台居民居住证",
	DocForeignPermanent: "外国人永久居留身份证", DocOther: "其他",
}

// Name returns the Chinese name of the document type.
func (d DocType) Name() string {
	if n, ok := docTypeNames[d]; ok {
		return n
	}
	return string(d)
}

// Valid reports whether d is a known document type.
func (d DocType) Valid() bool { _, ok := docTypeNames[d]; return ok }

// Checked reports whether numbers of this type carry the GB 11643 check digit, birth date and
// sex (居民身份证, 港澳台居民居住证, the 18-digit 外国人永久居留身份证).
func (d DocType) Checked() bool {
	return d == DocResidentID || d == DocHMTResidence || d == DocForeignPermanent
}

// Sex codes of GB/T 2261.1.
type Sex string

const (
	SexUnknown     Sex = "0"
	SexMale        Sex = "1"
	SexFemale      Sex = "2"
	SexUnspecified Sex = "9"
)

// Name returns 男, 女, 未知 or 未说明.
func (s Sex) Name() string {
	switch s {
	case SexMale:
		return "男"
	case SexFemale:
		return "女"
	case SexUnspecified:
		return "未说明"
	}
	return "未知"
}

// IDInfo is what a checked identity number says about its holder.
type IDInfo struct {
	Number    string    // normalised: upper-case X, 18 characters
	AreaCode  string    // 6-digit 行政区划代码; "" for 居住证 and foreigners' permits
	Birth     time.Time // date of birth (UTC midnight)
	Sex       Sex
	Converted bool // the input was a legacy 15-digit number
}

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheckChars = "10X98765432"

// IDCheckChar returns the GB 11643 (ISO 7064 MOD 11-2) check character for 17 digits.
func IDCheckChar(body string) byte {
	s := 0
	for i := 0; i < 17; i++ {
		s += int(body[i]-'0') * idWeights[i]
	}
	return idCheckChars[s%11]
}

// NormalizeIDNumber trims spaces (including full-width), turns full-width digits and x/ｘ into
// ASCII and upper-case X. It does not check anything.
func NormalizeIDNumber(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == ' ' || r == '\t' || r == '\u3000' || r == '\u00a0' || r == '-':
			continue
		case r >= '０' && r <= '９':
			b.WriteRune('0' + (r - '０'))
		case r == 'x' || r == 'ｘ' || r == 'Ｘ':
			b.WriteByte('X')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ParseIDNumber checks an identity number of a checked document type (see DocType.Checked)
// by GB 11643: 18 characters, a real date of birth not after now, the MOD 11-2 check
// character. A 15-digit 居民身份证 number is converted to 18 digits. It returns an EINVALID
// error whose message says what is wrong.
func ParseIDNumber(doc DocType, s string, now time.Time) (IDInfo, error) {
	const field = "证件号码"
	n := NormalizeIDNumber(s)
	if n == "" {
		return IDInfo{}, FieldError(field, "不能为空")
	}
	converted := false
	if len(n) == 15 && doc == DocResidentID {
		if !allDigits(n) {
			return IDInfo{}, FieldError(field, "15 位身份证号只能由数字组成")
		}
		body := n[:6] + "19" + n[6:]
		n = body + string(IDCheckChar(body))
		converted = true
	}
	if len([]rune(n)) != 18 {
		return IDInfo{}, FieldError(field, "应为 18 位（现为 %d 位）", len([]rune(n)))
	}
	if !allDigits(n[:17]) || !(n[17] == 'X' || (n[17] >= '0' && n[17] <= '9')) {
		return IDInfo{}, FieldError(field, "前 17 位应为数字，最后一位为数字或 X")
	}
	info := IDInfo{Number: n, Converted: converted}
	switch doc {
	case DocResidentID:
		if n[0] == '0' || strings.HasPrefix(n, "81") || strings.HasPrefix(n, "82") || strings.HasPrefix(n, "83") || n[0] == '9' {
			return IDInfo{}, FieldError(field, "“%s”开头不是内地居民身份证的地区码；港澳台居民居住证或外国人永久居留身份证请选择对应的证件类型", n[:2])
		}
		info.AreaCode = n[:6]
	case DocHMTResidence:
		if p := n[:6]; p != "810000" && p != "820000" && p != "830000" {
			return IDInfo{}, FieldError(field, "港澳台居民居住证号码应以 810000（香港）、820000（澳门）或 830000（台湾）开头")
		}
	case DocForeignPermanent:
		if n[0] != '9' {
			return IDInfo{}, FieldError(field, "18 位外国人永久居留身份证号码应以 9 开头")
		}
	default:
		return IDInfo{}, FieldError(field, "证件类型“%s”不做号码校验", doc.Name())
	}
	birth, err := time.Parse("20060102", n[6:14])
	if err != nil {
		return IDInfo{}, FieldError(field, "第 7–14 位出生日期 %s 不是有效日期", n[6:14])
	}
	if birth.Year() < 1900 {
		return IDInfo{}, FieldError(field, "出生日期 %s 早于 1900 年", birth.Format("2006-01-02"))
	}
	if birth.After(now) {
		return IDInfo{}, FieldError(field, "出生日期 %s 晚于今天", birth.Format("2006-01-02"))
	}
	if c := IDCheckChar(n[:17]); c != n[17] {
		return IDInfo{}, FieldError(field, "校验位错误（最后一位应为 %c），请核对号码", c)
	}
	info.Birth = birth
	if (n[16]-'0')%2 == 1 {
		info.Sex = SexMale
	} else {
		info.Sex = SexFemale
	}
	return info, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// AgeOn returns the age in whole years on day now of someone born on birth.
func AgeOn(birth, now time.Time) int {
	y := now.Year() - birth.Year()
	if now.Month() < birth.Month() || (now.Month() == birth.Month() && now.Day() < birth.Day()) {
		y--
	}
	return y
}

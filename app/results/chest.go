package results

import "strings"

// ChestFilm is the chest film reading code of the exchange spec (胸片检查结果代码表, code
// table 2), written in the card and in the Taizhou-style CHESTCode field.
type ChestFilm string

const (
	ChestNormal             ChestFilm = "0" // 未见异常
	ChestPneumoconiosisLike ChestFilm = "1" // 尘肺样改变
	ChestOtherAbnormal      ChestFilm = "2" // 其他异常
	ChestNotExamined        ChestFilm = "3" // 未检查
)

// ChestFilms lists the codes in order.
var ChestFilms = []ChestFilm{ChestNormal, ChestPneumoconiosisLike, ChestOtherAbnormal, ChestNotExamined}

var chestNames = map[ChestFilm]string{
	ChestNormal: "未见异常", ChestPneumoconiosisLike: "尘肺样改变", ChestOtherAbnormal: "其他异常",
	ChestNotExamined: "未检查",
}

// Name returns the code table's name: 未见异常, 尘肺样改变, 其他异常 or 未检查.
func (c ChestFilm) Name() string {
	if n, ok := chestNames[c]; ok {
		return n
	}
	return string(c)
}

// Valid reports whether c is one of the four codes.
func (c ChestFilm) Valid() bool { _, ok := chestNames[c]; return ok }

// Flag returns the flag of a reading: normal for 0, abnormal for 1 and 2, FlagNone for 3
// (not examined: record the item 未检 or 弃检 instead) and for an unknown code.
func (c ChestFilm) Flag() Flag {
	switch c {
	case ChestNormal:
		return FlagNormal
	case ChestPneumoconiosisLike, ChestOtherAbnormal:
		return FlagAbnormal
	}
	return FlagNone
}

// ParseChestFilm accepts a code (0–3, 全角 too) or a name of the code table.
func ParseChestFilm(s string) (ChestFilm, bool) {
	t := strings.TrimSpace(halfWidth(s))
	if c := ChestFilm(t); c.Valid() {
		return c, true
	}
	for c, n := range chestNames {
		if n == t {
			return c, true
		}
	}
	return "", false
}

package ui

import (
	"sync"

	"occhealth/app"
	"occhealth/app/cardcheck"
	"occhealth/assets"
)

var (
	cardChecksOnce sync.Once
	cardChecks     cardcheck.Thresholds
	cardChecksErr  error
)

// cardThresholds reads the bundled thresholds of the logic checks once (they are read-only).
func cardThresholds() (cardcheck.Thresholds, error) {
	cardChecksOnce.Do(func() {
		b, err := assets.Rules.ReadFile("rules/card_checks.json")
		if err != nil {
			cardChecksErr = err
			return
		}
		cardChecks, cardChecksErr = cardcheck.Load(b)
	})
	return cardChecks, cardChecksErr
}

// cardChecker is what the bbolt CardService offers beyond app.CardService: the pre-flight
// check with the store's catalogs and thresholds, the very ones its worklist counts.
type cardChecker interface {
	Check(d app.CardData) ([]app.CardIssue, error)
}

// checkCard runs the pre-flight check of one card: the store's own where it offers it, else
// with the bundled thresholds and the catalogs in force.
func checkCard(env *Env, d app.CardData) []app.CardIssue {
	if c, ok := env.Services.Cards.(cardChecker); ok {
		is, err := c.Check(d)
		if err == nil {
			return is
		}
		return []app.CardIssue{{Level: app.LevelError, Message: "预检无法进行：" + app.ErrorMessage(err)}}
	}
	th, err := cardThresholds()
	if err != nil {
		return []app.CardIssue{{Level: app.LevelError, Message: "预检规则数据无法读取：" + err.Error()}}
	}
	var codes app.CodeLookup
	if set := catalogsOf(env.Services); set != nil {
		codes = set
	}
	return cardcheck.Check(d, codes, th)
}

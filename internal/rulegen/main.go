// Command rulegen generates the GBZ 188 rule table of assets/rules from the shared research
// (domain/gbz188-rules.json) and the generated catalogs (hazards, items, gbz188_sections):
//
//	go run ./internal/rulegen -shared ../shared -out assets/rules
//
// It writes item_groups.json (the curated item groups of groups.go, with their national
// 健康指标 member codes checked against the items catalog), gbz188.json (one rule per national
// hazard code, exam type and edition: each factor row of the research expanded to the hazard
// codes that gbz188_sections maps to it) and README.md (counts and coverage). The output is
// deterministic. It fails, writing nothing, when an item text of the research maps to no
// group, a member code is not in the items catalog, or a factor has no hazard codes.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"occhealth/app/catalog"
	"occhealth/app/rules"
)

func main() {
	shared := flag.String("shared", "../shared", "the shared reference folder (domain/gbz188-rules.json)")
	cat := flag.String("catalog", "assets/catalog", "the generated catalogs (hazards, items, gbz188_sections)")
	out := flag.String("out", "assets/rules", "output folder")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("rulegen: ")
	if err := run(*shared, *cat, *out); err != nil {
		log.Fatal(err)
	}
}

func run(shared, catDir, out string) error {
	cats, err := catalog.Load(os.DirFS(catDir))
	if err != nil {
		return err
	}
	rows, err := readRows(filepath.Join(shared, "domain", "gbz188-rules.json"))
	if err != nil {
		return err
	}
	t, err := build(cats, rows)
	if err != nil {
		return err
	}
	g, r, err := rules.MarshalFiles(t)
	if err != nil {
		return err
	}
	readme := coverage(t, cats)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for name, b := range map[string][]byte{"item_groups.json": g, "gbz188.json": r, "README.md": []byte(readme)} {
		if err := os.WriteFile(filepath.Join(out, name), b, 0o644); err != nil {
			return err
		}
	}
	d := t.Data()
	log.Printf("%d departments, %d groups, %d aliases, %d rules", len(d.Departments), len(d.GroupList), len(d.Aliases), len(d.RuleList))
	return nil
}

// fail formats a generator error.
func fail(format string, args ...any) error { return fmt.Errorf(format, args...) }

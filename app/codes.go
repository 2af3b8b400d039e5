package app

// Catalog names (the file stems of assets/catalog). Entries are keyed by the national codes of
// the data exchange specification.
const (
	CatalogHazards        = "hazards"
	CatalogItems          = "items"
	CatalogJobs           = "jobs"
	CatalogAreas          = "areas"
	CatalogIndustry       = "industry"
	CatalogEconomicType   = "economic_type"
	CatalogEnterpriseSize = "enterprise_size"
	CatalogExamTypes      = "exam_types"
	CatalogConclusions    = "conclusions"
	CatalogSex            = "sex"
	CatalogIDDocTypes     = "id_doc_types"
	CatalogDiseases2013   = "diseases_2013"
	CatalogDiseases2024   = "diseases_2024"
)

// CodeLookup answers whether a code exists in a catalog. The catalog set implements it; the
// entities' ValidateCodes methods use it so that app needs no catalog loading of its own.
type CodeLookup interface {
	// CodeName returns the display name of code in catalog, and false when there is none.
	CodeName(catalog, code string) (string, bool)
	// CodeParent returns the parent code ("" at the top or when unknown).
	CodeParent(catalog, code string) string
}

// industrySection returns the 门类 letter of a GB/T 4754 code by walking up its parents.
func industrySection(c CodeLookup, code string) string {
	for i := 0; i < 5 && code != ""; i++ {
		if len(code) == 1 && code[0] >= 'A' && code[0] <= 'Z' {
			return code
		}
		code = c.CodeParent(CatalogIndustry, code)
	}
	return ""
}

// EconomicTypeOptional reports whether economic type and enterprise size may be left empty
// for an industry: the exchange spec makes them optional for 门类 S (公共管理、社会保障和
// 社会组织) and T (国际组织).
func EconomicTypeOptional(c CodeLookup, industryCode string) bool {
	s := industrySection(c, industryCode)
	return s == "S" || s == "T"
}

// Package cards renders case cards (职业健康检查个案卡) in a reporting platform's format: the
// national exchange XML of 2021 (national.go) and a Hubei-style provincial structure
// (hubei.go). Each format is one Adapter in one file, with its element table as data
// (elements_*.tsv): names, cardinality, format (AN..70, N9, D8 …), whether required, the code
// table. Every document is validated against its table while it is encoded, before any file
// leaves the package, and an export with a problem returns an EINVALID error naming each card
// and element. Export packs the documents with a manifest so that the same batch always gives
// byte-identical files; ReadFeedback reads what the platform sends back.
//
// docs/card-formats.md documents the interface and how a province is added.
package cards

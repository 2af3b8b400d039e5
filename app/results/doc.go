// Package results holds what the departments record for an exam: one Result per national
// 健康指标 item (a number with its unit, a text finding, or a code such as the chest film
// reading), whether it was done, refused (弃检) or not done (未检), and the flag it earns
// against a reference range.
//
// Reference ranges and critical values (危急值) are data, not code: assets/rules holds
// reference_ranges.json, package assets embeds it, and LoadRanges reads it. Every range and
// every critical limit carries a status mark (V verified, P partly verified, U unverified, as
// in the catalogs) and a source, because each laboratory sets its own: an administrator
// corrects them, and ranges imported from the institution's LIS take precedence when that
// import exists. A Result keeps the range it was judged against, so a later change of the
// table never changes an old report.
//
// Everything here is pure: parsing what a doctor types (ParseNumeric, Result.SetValue),
// judging it (Evaluate, Critical), and listing the item groups that still block signing
// (Missing). Nothing here stores results or draws screens.
//
// Glossary (中文术语 → identifier):
//
//	检查结果              Result
//	健康指标代码 (7 位)     Result.ItemCode
//	项目组合              Result.GroupCode (item groups of app/rules)
//	数值 / 文本 / 代码      KindNumeric, KindText, KindCode
//	已检 / 弃检 / 未检      StatusDone, StatusRefused, StatusMissing
//	参考区间 (参考范围)      Range
//	参考区间表              Ranges (Judge: 按性别取区间并判定)
//	本院 / LIS 区间覆盖      Ranges.Overlay
//	危急值                Range.CriticalLow, Range.CriticalHigh; FlagCriticalLow, FlagCriticalHigh
//	偏高 / 偏低 / 异常      FlagHigh, FlagLow, FlagAbnormal
//	限定符 (<0.1 中的 <)    Qualifier
//	胸片检查结果代码        ChestFilm
//	签名前缺项             Missing
package results

// Package rules holds the GBZ 188 rule table of 职业健康工作站: for each national hazard code,
// exam type and GBZ 188 edition, the item groups an exam must carry out, the optional and
// conditional (补充) checks, the target diseases and contraindications, the inquiry focus, the
// physical exam and the interval; and the item groups (项目组合) themselves, each with its
// department, specimen tube and national 健康指标 member codes.
//
// The table is data: internal/rulegen derives it from the shared research
// (domain/gbz188-rules.json, and the catalogs' hazard code → GBZ 188 section mapping) into
// assets/rules, package assets embeds it, and the main program hands the files to Load. An
// administrator may edit the table (through an .xlsx round trip in package reports); the store
// keeps the edit as override JSON written with Marshal and read back with Unmarshal.
//
// Nothing here is verified against the official PDFs of GBZ 188-2014 or GBZ 188—2025: every
// rule and every group carries a status mark (V verified, P partly verified, U unverified, as
// in domain/GBZ188.md), and PlanItems tells the front desk in Chinese where a hazard has no rule
// or only an unverified one, so that the doctor adds or checks items by hand (待核实).
//
// Glossary (中文术语 → identifier):
//
//	规则表                    Table
//	规则 (危害因素×体检类型×版本)  Rule
//	项目组合                  Group
//	别名 (规则原文 → 项目组合)   Alias
//	必检项目                  Rule.Required
//	选检项目                  Rule.Optional
//	补充检查项目 (2025)         Rule.Conditional
//	目标疾病                  Rule.TargetDiseases
//	职业禁忌证                Rule.Contraindications
//	症状询问重点              Rule.SymptomFocus
//	体格检查                  Rule.PhysicalExam
//	检查周期                  Rule.Interval
//	推荐性                    Rule.RecommendedOnly
//	科室                      Group.Department
//	采样容器 (试管)            Group.Tube
//	健康指标代码              Group.Items
//	待核实                    Status "U"
package rules

// Package criteria holds the numeric rules the chief examiner (主检医师) is offered as
// suggestions: pure-tone audiometry arithmetic (speech- and high-frequency averages, 双耳高频平均
// 听阈, the GBZ 49 weighted value, the age/sex correction) and the machine-checkable criteria of
// GBZ 188 (contraindications, suspected occupational disease, rechecks) with their clauses.
//
// The thresholds are data: assets/rules/criteria.json lists each criterion with its hazard
// codes, exam types, edition, clause, V/P/U status and the name of the Go evaluator that checks
// it, the conclusion list of each edition, and the national 健康指标 code of every measurement
// it reads; assets/rules/pta_correction.json holds the correction table and the weighting formula,
// both unverified. The main program hands the files to Load (package assets embeds them); this
// package imports only the standard library and package app.
//
// Every evaluation is a suggestion, never a conclusion: the doctor decides. A criterion whose
// measurements are missing gives an "无法判断" finding, never a silent pass, and a finding says
// what the doctor still has to confirm (e.g. that a hearing loss is sensorineural). The age/sex
// correction is never applied to raw results: only the GBZ 49 screen reports corrected values,
// beside the raw ones.
//
// Glossary (中文术语 → identifier):
//
//	纯音听阈 (气导/骨导)       Audiogram (Left/Right, BoneLeft/BoneRight)
//	语频平均听阈              SpeechAverage (500/1000/2000 Hz)
//	高频平均听阈              HighAverage (3000/4000/6000 Hz)
//	双耳高频平均听阈          BinauralHighAverage
//	较好耳语频和高频加权值     Weighting, BetterEarWeighted
//	年龄性别修正              Correction, Corrected
//	判定标准                  Criterion
//	职业禁忌证 / 疑似职业病 / 复查 / 补充检查   KindContraindication / KindSuspected / KindRecheck / KindSupplement
//	提示 (判定结果)           Finding
//	符合 / 不符合 / 无法判断   Met / NotMet / Unknown
//	覆盖表                    Coverage, CoverageRow
//	测量值 (按名称)            Input.Values, Meas* (wbc, plt, pb_blood …)
//	健康指标代码 → 测量值       MeasureItem, FromItems
//	体检结论                  Conclusion, ConclusionList
package criteria

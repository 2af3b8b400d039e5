// Package app is the domain of 职业健康工作站: entities, validation rules, roles and
// permissions, and the service interfaces that the storage engines implement.
//
// It imports only the standard library (enforced by deps_test.go). Rules that depend on time
// take the current time as an argument; catalogs and standards are data (package app/catalog).
//
// Glossary (中文术语 → identifier):
//
//	用人单位            Employer
//	用工单位            Employer used as WorkPeriod.HostEmployerID (dispatched labour)
//	劳动者              Worker
//	工作经历            WorkPeriod
//	接害史 / 接触危害因素  Exposure
//	身份证件类型         DocType
//	公民身份号码         IDNumber (GB 11643)
//	统一社会信用代码      CreditCode (GB 32100)
//	行政区划代码         AreaCode
//	行业类别            IndustryCode (GB/T 4754-2017)
//	经济类型            EconomicTypeCode (GB/T 12402-2000)
//	企业规模            SizeCode
//	工种               JobCode
//	危害因素            Hazard (national hazard code)
//	机构               Institution
//	职业健康检查机构      KindExam
//	职业病诊断机构       KindDiagnosis
//	鉴定办事机构         KindAppraisal
//	随访机构            KindFollowUp
//	角色               Role
//	资格               Qualification
//	审计日志            AuditEntry
//	备份               Backup
//	体检任务 / 委托协议    Contract
//	工作场所检测结果       MonitoringResult
//	体检套餐            ExamPackage
//	项目组合            ExamItem.GroupCode (item groups of app/rules)
//	职业健康检查         Exam
//	体检类型            ExamType (01 上岗前 … 05 离岗后)
//	复查               Exam.Recheck
//	体检号              Exam.Number
//	登记               Registration
//	未到检 / 取消 / 作废   ExamNoShow / ExamCancelled / ExamVoided
//	团检名单            RosterFile
//	接害工龄            ColExposureYears
//	孕期/哺乳期禁忌作业    FemaleHazardRule
//	导检单              GuideInput (rendered by reports)
//	GBZ 188 规则表       ItemPlanner (app/rules.Table)
package app

package main

import "occhealth/app/rules"

// departments in guide-sheet order: blood first (fasting), then the physical exam stations,
// then the instrument rooms. Hospitals rename and merge stations; the order is a default.
var departments = []string{
	"检验科", "内科", "外科", "神经科", "眼科", "耳鼻喉科", "皮肤科", "妇科",
	"心电图室", "超声科", "放射科", "肺功能室", "听力室", "电生理室", "其他",
}

// Tube conventions for labels (WS/T 225 colour codes as hospitals use them). They are
// conventions, not GBZ 188 text: P where practice is uniform, U where laboratories differ.
const (
	tubeEDTA     = "紫头管（EDTA-K2）"
	tubeSerum    = "黄头管（促凝分离胶）"
	tubeGlucose  = "灰头管（氟化钠）"
	tubeESR      = "黑头管（枸橼酸钠 1:4）"
	tubeHeparin  = "绿头管（肝素钠）"
	tubeUrine    = "尿杯"
	tubeUrineTE  = "尿杯（聚乙烯，微量元素专用）"
	tubeLeadFree = "紫头管（EDTA-K2，微量元素专用）"
	tubeBloodGas = "动脉血气针（肝素）"
	tubeSputum   = "痰杯"
)

const (
	v = rules.StatusVerified
	p = rules.StatusPartial
	u = rules.StatusUnverified
)

// supplementNote marks groups that only the 2025 补充 texts name.
const supplementNote = "GBZ 188—2025 补充检查项目：规则中为条件文字，符合条件时由医生加选"

// groups are the item groups (项目组合). Items are national 健康指标 codes (catalog items);
// the generator checks that each exists. ItemsStatus U: GBZ 188 names the check but not its
// indicators, so the composition is the usual laboratory panel, to be checked by the hospital.
var groups = []rules.Group{
	// 检验科
	{Code: "G0101", Name: "血常规", Department: "检验科", Tube: tubeEDTA, TubeStatus: p, Status: p, ItemsStatus: p,
		Items: []string{"4010100", "4010200", "4010300", "4010400", "4010500", "4010600", "4010700", "4010800", "4010900",
			"4011000", "4011100", "4011600", "4011700", "4011800", "4012000", "4012100", "4012200", "4013600", "4013700",
			"4012600", "4012700", "4012800", "4014300"},
		Notes: "五分类血细胞分析；个案卡关键字段 WBC/RBC/Hb/PLT/NEUT (GBZ188.md §0.1)"},
	{Code: "G0102", Name: "尿常规", Department: "检验科", Tube: tubeUrine, TubeStatus: p, Status: p, ItemsStatus: p,
		Items: []string{"4020100", "4020200", "4020300", "4020400", "4020500", "4020600", "4020700", "4020800", "4020900", "4021000"},
		Notes: "干化学十项；个案卡关键字段 尿蛋白/尿白细胞/尿潜血"},
	{Code: "G0103", Name: "肝功能", Department: "检验科", Tube: tubeSerum, TubeStatus: p, Status: p, ItemsStatus: u,
		Items: []string{"4040900", "4041000", "4041600", "4041700", "4040100", "4040200", "4040300", "4040400", "4042800", "4042900", "4043000"},
		Notes: "GBZ 188—2025 以“肝功能”取代“血清ALT”；组成项目标准未列明，按常规肝功能组合（待核实）"},
	{Code: "G0104", Name: "血清ALT", Department: "检验科", Tube: tubeSerum, TubeStatus: p, Status: v, ItemsStatus: v,
		Items: []string{"4040900"}},
	{Code: "G0105", Name: "空腹血糖", Department: "检验科", Tube: tubeGlucose, TubeStatus: u, Status: p, ItemsStatus: v,
		Items: []string{"4070500"},
		Notes: "单独送检用灰头管；与生化同管及时分离血清者可用黄头管（各院不同，待核实）"},
	{Code: "G0106", Name: "肾功能", Department: "检验科", Tube: tubeSerum, TubeStatus: p, Status: p, ItemsStatus: u,
		Items: []string{"4320100", "4320200", "4320400"},
		Notes: "组成项目标准未列明，按常规尿素氮、肌酐、尿酸（待核实）"},
	{Code: "G0107", Name: "血沉", Department: "检验科", Tube: tubeESR, TubeStatus: p, Status: p, ItemsStatus: v,
		Items: []string{"4070300"}},
	{Code: "G0108", Name: "类风湿因子", Department: "检验科", Tube: tubeSerum, TubeStatus: p, Status: p, ItemsStatus: v,
		Items: []string{"4395900"}},
	{Code: "G0109", Name: "甲状腺功能（FT3、FT4、TSH）", Department: "检验科", Tube: tubeSerum, TubeStatus: p, Status: p, ItemsStatus: p,
		Items: []string{"4071700", "4071600", "4071800"}},
	{Code: "G0110", Name: "血铅", Department: "检验科", Tube: tubeLeadFree, TubeStatus: u, Status: p, ItemsStatus: v,
		Items: []string{"4070100"},
		Notes: "全血，抗凝管须为无铅的微量元素专用管（肝素或 EDTA，各实验室不同，待核实）"},
	{Code: "G0111", Name: "尿铅", Department: "检验科", Tube: tubeUrineTE, TubeStatus: u, Status: p, ItemsStatus: v,
		Items: []string{"4080100"}},
	{Code: "G0112", Name: "尿汞", Department: "检验科", Tube: tubeUrineTE, TubeStatus: u, Status: p, ItemsStatus: v,
		Items: []string{"4080200"}},
	{Code: "G0113", Name: "尿β2-微球蛋白（或α1-微球蛋白、视黄醇结合蛋白）", Department: "检验科", Tube: tubeUrine, TubeStatus: p, Status: p, ItemsStatus: p,
		Items: []string{"4081500", "4081600", "4081700"},
		Notes: "标准为三选一，实验室按所开展项目报告其一"},
	{Code: "G0114", Name: "尿δ-ALA", Department: "检验科", Tube: tubeUrine, TubeStatus: u, Status: p, ItemsStatus: v,
		Items: []string{"4081400"}},
	{Code: "G0115", Name: "血锌原卟啉（ZPP）", Department: "检验科", Tube: tubeEDTA, TubeStatus: u, Status: p, ItemsStatus: v,
		Items: []string{"4070600"}},
	{Code: "G0116", Name: "尿反-反黏糠酸", Department: "检验科", Tube: tubeUrine, TubeStatus: u, Status: v, ItemsStatus: v,
		Items: []string{"4081100"}},
	{Code: "G0117", Name: "尿酚", Department: "检验科", Tube: tubeUrine, TubeStatus: u, Status: v, ItemsStatus: v,
		Items: []string{"4081200"}},
	{Code: "G0118", Name: "心肌酶谱", Department: "检验科", Tube: tubeSerum, TubeStatus: p, Status: v, ItemsStatus: p,
		Items: []string{"4072100"}},
	{Code: "G0119", Name: "肌钙蛋白（TnT）", Department: "检验科", Tube: tubeSerum, TubeStatus: u, Status: v, ItemsStatus: v,
		Items: []string{"4991600"}},
	{Code: "G0120", Name: "血气分析", Department: "检验科", Tube: tubeBloodGas, TubeStatus: p, Status: v, ItemsStatus: p,
		Items: []string{"4060100", "4060200", "4060300", "4060400"}},
	{Code: "G0121", Name: "虎红缓冲液玻片凝集试验（RBPT）", Department: "检验科", Tube: tubeSerum, TubeStatus: p, Status: p, ItemsStatus: v,
		Items: []string{"4072700"}},
	{Code: "G0122", Name: "病毒性肝炎血清标志物", Department: "检验科", Tube: tubeSerum, TubeStatus: p, Status: p, ItemsStatus: u,
		Items: []string{"4041100", "4041200", "4041500", "4072409"},
		Notes: "组成项目标准未列明，按乙肝表面抗原/抗体、核心抗体及丙肝抗体（待核实）"},
	{Code: "G0123", Name: "外周血淋巴细胞染色体畸变分析", Department: "检验科", Tube: tubeHeparin, TubeStatus: p, Status: p, ItemsStatus: v,
		Items: []string{"4992600"}, Notes: "GBZ 98-2020；淋巴细胞培养用肝素抗凝全血"},
	{Code: "G0124", Name: "外周血淋巴细胞微核试验", Department: "检验科", Tube: tubeHeparin, TubeStatus: p, Status: p, ItemsStatus: v,
		Items: []string{"4471000"}, Notes: "GBZ 98-2020"},
	{Code: "G0125", Name: "血清睾酮", Department: "检验科", Tube: tubeSerum, TubeStatus: p, Status: p, ItemsStatus: v,
		Items: []string{"4370100"}},
	{Code: "G0126", Name: "痰细胞学检查", Department: "检验科", Tube: tubeSputum, TubeStatus: p, Status: p, ItemsStatus: u,
		Notes: "健康指标代码表无对应代码（待核实）"},
	// Checks the 2025 补充 texts name: groups for a doctor's manual addition; rules keep the texts.
	{Code: "G0127", Name: "糖化血红蛋白", Department: "检验科", Tube: tubeEDTA, TubeStatus: p, Status: p, ItemsStatus: v,
		Items: []string{"4070900"}, Notes: supplementNote},
	{Code: "G0128", Name: "血细胞形态及分类", Department: "检验科", Tube: tubeEDTA, TubeStatus: p, Status: p, ItemsStatus: p,
		Items: []string{"4471100"}, Notes: supplementNote},
	{Code: "G0129", Name: "红细胞游离原卟啉（FEP）", Department: "检验科", Tube: tubeEDTA, TubeStatus: u, Status: p, ItemsStatus: v,
		Items: []string{"4070700"}, Notes: supplementNote},
	{Code: "G0130", Name: "尿2,5-己二酮", Department: "检验科", Tube: tubeUrine, TubeStatus: u, Status: p, ItemsStatus: v,
		Items: []string{"4081300"}, Notes: supplementNote + "；班末尿（待核实）"},
	{Code: "G0131", Name: "血清总IgE", Department: "检验科", Tube: tubeSerum, TubeStatus: p, Status: p, ItemsStatus: v,
		Items: []string{"4382200"}, Notes: supplementNote},
	// 内科
	{Code: "G0201", Name: "内科常规检查", Department: "内科", Status: p, ItemsStatus: u,
		Items: []string{"2010200", "2010300", "2010500", "2030100", "2030700", "2030200", "2030300", "2030400", "2030500"},
		Notes: "身高、体重、血压、心率、心律、心肺肝脾；组成按常规（待核实）"},
	{Code: "G0202", Name: "血氧饱和度", Department: "内科", Status: v, ItemsStatus: p, Items: []string{"4060200"},
		Notes: "经皮脉搏血氧测定"},
	{Code: "G0203", Name: "布鲁菌素皮内试验", Department: "内科", Status: p, ItemsStatus: v, Items: []string{"4072500"},
		Notes: "皮内注射后观察反应；执行科室各院不同（待核实）"},
	{Code: "G0204", Name: "骨髓穿刺", Department: "内科", Status: v, ItemsStatus: v, Items: []string{"3150100"},
		Notes: "由血液科医师执行（待核实）"},
	// 外科
	{Code: "G0301", Name: "外科常规检查", Department: "外科", Status: p, ItemsStatus: u,
		Items: []string{"2040100", "2040200", "2040300", "2041000", "2041100", "2041200", "2041500"},
		Notes: "甲状腺、浅表淋巴结、皮肤、脊柱、四肢关节；组成按常规（待核实）"},
	{Code: "G0302", Name: "手部骨科检查（振动觉、温度觉、压指试验）", Department: "外科", Status: p, ItemsStatus: p,
		Items: []string{"2041503", "2039913", "2030600", "3160100", "3160200"},
		Notes: "GBZ 188—2025 手传振动：手指、掌有无肿胀、变白，指关节变形，指端振动觉、温度觉、痛触觉，压指试验"},
	{Code: "G0303", Name: "白指诱发试验及冷水复温试验", Department: "外科", Status: p, ItemsStatus: v,
		Items: []string{"3160300", "3160400"}, Notes: supplementNote + "；执行科室各院不同（待核实）"},
	// 神经科
	{Code: "G0401", Name: "神经系统常规检查", Department: "神经科", Status: p, ItemsStatus: u,
		Items: []string{"2050200", "2050300", "2050400", "2050500", "2050600", "2050700", "2050800", "2051300", "2051400"},
		Notes: "腱反射、肌力、肌张力、共济运动、感觉、三颤；组成按常规（待核实）"},
	{Code: "G0402", Name: "运动功能及病理反射检查", Department: "神经科", Status: v, ItemsStatus: p,
		Items: []string{"2031300", "2051200"}},
	// 眼科
	{Code: "G0501", Name: "眼科常规检查", Department: "眼科", Status: p, ItemsStatus: u,
		Items: []string{"2020100", "2020800", "2020600", "2020400"},
		Notes: "视力、外眼、结膜、角膜；组成按常规（待核实）"},
	{Code: "G0502", Name: "色觉检查", Department: "眼科", Status: p, ItemsStatus: v, Items: []string{"2990100"}},
	{Code: "G0503", Name: "晶状体裂隙灯及眼底检查", Department: "眼科", Status: p, ItemsStatus: p,
		Items: []string{"2020200", "2020500", "2020300"}},
	{Code: "G0504", Name: "视野检查", Department: "眼科", Status: p, ItemsStatus: v, Items: []string{"2020700"}},
	// 耳鼻喉科
	{Code: "G0601", Name: "耳科常规检查", Department: "耳鼻喉科", Status: p, ItemsStatus: u,
		Items: []string{"2020900", "2022103", "2022104", "2021000"},
		Notes: "外耳、外耳道、鼓膜、听力（耳语）；组成按常规（待核实）"},
	{Code: "G0602", Name: "鼻咽部检查", Department: "耳鼻喉科", Status: p, ItemsStatus: u, Items: []string{"2021100", "2021200"}},
	{Code: "G0603", Name: "前庭功能检查", Department: "耳鼻喉科", Status: v, ItemsStatus: v, Items: []string{"2050900"},
		Notes: "有病史或临床表现者"},
	// 皮肤科
	{Code: "G0701", Name: "皮肤科常规检查", Department: "皮肤科", Status: p, ItemsStatus: u, Items: []string{"2090100", "2090200"}},
	// 妇科
	{Code: "G0801", Name: "妇科检查", Department: "妇科", Status: p, ItemsStatus: p,
		Items: []string{"2060100", "2060200", "2060300", "2060400"}, Notes: "女性受检者"},
	// 心电图室
	{Code: "G0901", Name: "心电图", Department: "心电图室", Status: v, ItemsStatus: v, Items: []string{"3060100"}},
	{Code: "G0902", Name: "动态心电图", Department: "心电图室", Status: v, ItemsStatus: v, Items: []string{"3060200"}},
	// 超声科
	{Code: "G1001", Name: "肝脾B超", Department: "超声科", Status: v, ItemsStatus: v, Items: []string{"3010100", "3010300"}},
	{Code: "G1002", Name: "肝肾B超", Department: "超声科", Status: p, ItemsStatus: v, Items: []string{"3010100", "3010500"}},
	{Code: "G1003", Name: "腹部B超", Department: "超声科", Status: p, ItemsStatus: u,
		Items: []string{"3010100", "3010200", "3010300", "3010400", "3010500"}, Notes: "肝胆脾胰肾；组成按常规（待核实）"},
	{Code: "G1004", Name: "妇科B超", Department: "超声科", Status: p, ItemsStatus: u, Items: []string{"3011900", "3012000"},
		Notes: "女性受检者"},
	{Code: "G1005", Name: "心脏超声检查", Department: "超声科", Status: v, ItemsStatus: p, Items: []string{"3011200"}},
	// 放射科
	{Code: "G1101", Name: "胸部X射线摄片（DR）", Department: "放射科", Status: p, ItemsStatus: v,
		Items: []string{"3080100", "3080200"},
		Notes: "粉尘作业须为后前位X射线高千伏胸片或数字化摄影胸片（DR），按 GBZ 70 质量要求拍摄和读片"},
	{Code: "G1102", Name: "头颅CT或MRI", Department: "放射科", Status: v, ItemsStatus: v, Items: []string{"3070200", "3120000"}},
	{Code: "G1103", Name: "骨和关节X射线摄片", Department: "放射科", Status: p, ItemsStatus: p, Items: []string{"3080900"}},
	{Code: "G1104", Name: "胸部CT", Department: "放射科", Status: p, ItemsStatus: v, Items: []string{"3070400"}, Notes: supplementNote},
	// 肺功能室
	{Code: "G1201", Name: "肺功能", Department: "肺功能室", Status: v, ItemsStatus: p,
		Items: []string{"3020100", "3020200", "3020300", "3021700"}, Notes: "个案卡关键字段 FVC/FEV1/FEV1%"},
	{Code: "G1202", Name: "肺弥散功能", Department: "肺功能室", Status: p, ItemsStatus: v, Items: []string{"3030100", "3030200"}},
	{Code: "G1203", Name: "支气管激发试验", Department: "肺功能室", Status: p, ItemsStatus: u, Items: []string{"3180200"},
		Notes: supplementNote + "；标准为非特异性支气管激发试验，代码表仅有“变应原支气管激发试验”（待核实）"},
	// 听力室
	{Code: "G1301", Name: "纯音听阈测试", Department: "听力室", Status: v, ItemsStatus: p,
		Items: []string{"3040100", "3040200", "3040300", "3040400", "3040500", "3040600",
			"3040800", "3040900", "3041000", "3041100", "3041200", "3041300",
			"3050100", "3050200", "3050300", "3050400", "3050500", "3050600",
			"3050800", "3050900", "3051000", "3051100", "3051200", "3051300"},
		Notes: "气导及骨导 500–6000 Hz；噪声作业者脱离噪声环境至少 14 h 后测试（GBZ 188—2025）"},
	{Code: "G1302", Name: "声导抗（鼓室导抗图及镫骨肌反射阈）", Department: "听力室", Status: p, ItemsStatus: v,
		Items: []string{"3202000", "3203000"}, Notes: supplementNote},
	{Code: "G1303", Name: "耳声发射", Department: "听力室", Status: p, ItemsStatus: v, Items: []string{"3204000", "3205000"}, Notes: supplementNote},
	{Code: "G1304", Name: "听觉脑干诱发电位", Department: "听力室", Status: p, ItemsStatus: v, Items: []string{"3209000"}, Notes: supplementNote},
	// 电生理室
	{Code: "G1401", Name: "脑电图", Department: "电生理室", Status: v, ItemsStatus: v, Items: []string{"3060300"}},
	{Code: "G1402", Name: "神经-肌电图", Department: "电生理室", Status: p, ItemsStatus: v, Items: []string{"3060400"}},
	// 其他
	{Code: "G1501", Name: "心理测试", Department: "其他", Status: p, ItemsStatus: u,
		Notes: "GBZ 98-2020：核电厂操纵员和高级操纵员；健康指标代码表无对应代码"},
	{Code: "G1502", Name: "全身计数器体内放射性核素滞留量测量", Department: "其他", Status: p, ItemsStatus: u,
		Notes: "GBZ 98-2020：非密封源操作人员；健康指标代码表无对应代码"},
}

// aliases map every item text of gbz188-rules.json that is not a group name to its groups.
// Texts that start with "补充" are conditional checks and stay text (Rule.Conditional);
// textOnly lists the other texts that are no groups.
var aliases = []rules.Alias{
	{Text: "血常规(含血嗜酸粒细胞计数)", Groups: []string{"G0101"}, Note: "血常规：含血嗜酸粒细胞计数"},
	{Text: "血常规(注意细胞形态及分类)", Groups: []string{"G0101"}, Note: "血常规：注意细胞形态及分类"},
	{Text: "血常规和白细胞分类", Groups: []string{"G0101"}},
	{Text: "血常规和白细胞分类(连续取样)", Groups: []string{"G0101"}, Note: "血常规和白细胞分类：连续取样"},
	{Text: "血糖", Groups: []string{"G0105"}},
	{Text: "FT3", Groups: []string{"G0109"}},
	{Text: "FT4", Groups: []string{"G0109"}},
	{Text: "TSH", Groups: []string{"G0109"}},
	{Text: "甲状腺功能", Groups: []string{"G0109"}},
	{Text: "血铅或尿铅", Groups: []string{"G0110"}, Note: "血铅或尿铅：默认血铅，可改为尿铅"},
	{Text: "血铅和/或尿铅", Groups: []string{"G0110"}, Note: "血铅和/或尿铅：默认血铅，可改为或加做尿铅"},
	{Text: "尿β2-微球蛋白或α1-微球蛋白或尿视黄醇结合蛋白", Groups: []string{"G0113"}},
	{Text: "尿δ-ALA", Groups: []string{"G0114"}},
	{Text: "血ZPP", Groups: []string{"G0115"}},
	{Text: "尿反-反黏糠酸", Groups: []string{"G0116"}},
	{Text: "肌钙蛋白(TnT)", Groups: []string{"G0119"}},
	{Text: "虎红缓冲液玻片凝集试验(RBPT)", Groups: []string{"G0121"}},
	{Text: "痰细胞学检查和/或肺功能(矿山、内照射)", Groups: []string{"G0126", "G1201"},
		Note: "痰细胞学检查和/或肺功能：放射性矿山、内照射人员"},
	{Text: "内科、皮肤科常规检查", Groups: []string{"G0201", "G0701"}},
	{Text: "详细的内科、外科、眼科、皮肤科、神经科检查", Groups: []string{"G0201", "G0301", "G0501", "G0701", "G0401"}},
	{Text: "眼科检查(色觉、视力、晶体裂隙灯检查、玻璃体、眼底)", Groups: []string{"G0501", "G0502", "G0503"}},
	{Text: "视野(核电厂放射工作人员)", Groups: []string{"G0504"}, Note: "视野：核电厂放射工作人员"},
	{Text: "耳鼻喉科", Groups: []string{"G0601", "G0602"}},
	{Text: "心脏超声检查", Groups: []string{"G1005"}},
	{Text: "后前位X射线高千伏胸片", Groups: []string{"G1101"}, Note: "胸片：后前位X射线高千伏胸片"},
	{Text: "后前位X射线高千伏胸片或数字化摄影胸片(DR胸片)", Groups: []string{"G1101"}, Note: "胸片：后前位X射线高千伏胸片或DR胸片"},
	{Text: "胸部X射线摄片", Groups: []string{"G1101"}},
	{Text: "胸部X射线检查", Groups: []string{"G1101"}},
	{Text: "胸部X线检查", Groups: []string{"G1101"}},
	{Text: "胸部X线摄影(在留取细胞遗传学检查所需血样后)", Groups: []string{"G1101"}, Note: "胸部X线摄影：在留取细胞遗传学检查所需血样后"},
	{Text: "头颅CT或MRI", Groups: []string{"G1102"}},
	{Text: "脑CT", Groups: []string{"G1102"}},
	{Text: "血清睾丸酮", Groups: []string{"G0125"}},
	{Text: "肺功能(放射性矿山工作人员、接受内照射需穿戴呼吸防护装置者)", Groups: []string{"G1201"},
		Note: "肺功能：放射性矿山工作人员、接受内照射需穿戴呼吸防护装置者"},
	{Text: "脑电图(有晕厥史者)", Groups: []string{"G1401"}, Note: "脑电图：有晕厥史者"},
	{Text: "心理测试(核电厂操纵员和高级操纵员)", Groups: []string{"G1501"}},
	{Text: "全身计数器体内放射性核素滞留量(非密封源操作)", Groups: []string{"G1502"}},
}

// textOnly are item texts of the rule data that name no group: the history taken at every
// exam goes to Rule.ItemNotes, "choose by the case" to Rule.Conditional.
var textOnly = map[string]string{
	"医学史、职业史调查":          "note",
	"应急/事故照射史、医学史、职业史调查": "note",
	"根据受照和损伤的具体情况选择":     "conditional",
}

// physicalKeywords map phrases of a rule's physical-exam text to groups, in order. A phrase
// qualified by a condition ("有病史或临床表现者") is left to the doctor.
var physicalKeywords = []struct {
	phrase string
	groups []string
}{
	{"内科常规", []string{"G0201"}},
	{"外科", []string{"G0301"}},
	{"骨科检查", []string{"G0302"}},
	{"神经系统常规", []string{"G0401"}},
	{"病理反射", []string{"G0402"}},
	{"眼科常规", []string{"G0501"}},
	{"色觉", []string{"G0502"}},
	{"辨色力", []string{"G0502"}},
	{"晶状体", []string{"G0503"}},
	{"眼底检查", []string{"G0503"}},
	{"耳科常规", []string{"G0601"}},
	{"皮肤科常规", []string{"G0701"}},
	{"妇科", []string{"G0801"}},
}

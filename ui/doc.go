// Package ui is the Fyne interface of 职业健康工作站. It sees only the app service interfaces
// (app.Services), the catalogs and the embedded assets; main hands it the services and calls
// Start.
//
// Start applies the theme (the bundled WenQuanYi Micro Hei for every text style), shows the
// set-up screen of an empty archive or the login, and after login the shell: a top bar, the
// navigation built from the registered screens (registerScreen, filtered by role, institution
// kind and the permission table) and the screen on display. Each screen is a small struct
// built from the services with a content method.
//
// Conventions:
//
//   - Messages under fields come from the app rules (app.CheckCreditCode, app.ParseIDNumber,
//     Validate) as the user types; errors of service calls go through showError (errors.go),
//     the one place that maps app error codes to dialogs.
//   - Lists are virtual and decode rows a page at a time.
//   - Work that may take long (the demo archive, a worker search that can match tens of
//     thousands) runs off the UI thread and reaches widgets only through fyne.Do.
//   - Enter never saves, signs or deletes in a text field (input methods pass Enter through,
//     TECH.md): Ctrl+S and Ctrl+N are menu shortcuts; Enter picks a match in a picker, moves
//     on from the username and logs in from the password field.
//   - Tests run headless with fyne.io/fyne/v2/test on a real bbolt archive in a temp dir; markup
//     goldens live in testdata/ and change only with -update.
//
// Glossary (中文 → identifier): 首次设置 setupScreen, 登录 loginScreen, 修改密码 passwordForm,
// 导航 shell/navTree, 首页 homeScreen, 用人单位 employerScreen/employerForm, 劳动者
// workerScreen/workerForm, 工作经历 historyRow, 接害史 exposureRow, 所在地区 areaPicker,
// 可搜索的下拉选择 picker, 更正证件号码 showCorrection, 体检任务 contractScreen/contractForm,
// 已登记 contractExams, 名单导入 rosterView, 体检登记 examRegScreen, 导检单/条码 printExams,
// 危害因素多选 hazardMulti, 体检套餐 packageScreen, GBZ 188 规则表 ruleScreen/ruleEditor.
package ui

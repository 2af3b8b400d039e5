package reports

// ReadRosterExcelize exposes the fallback reader so that tests compare it with the
// streaming one.
var ReadRosterExcelize = readRosterExcelize

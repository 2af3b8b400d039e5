// Package remote is the 联网 mode: a server that serves the app services of an archive over
// HTTPS (Handler, Server), and a client that implements the same app interfaces by calling it
// (Dial, Connector). The per-method code is generated from package app by internal/rpcgen, so
// that every service is remote for free.
//
// The protocol: POST /v1/call/{Service.Method} with the arguments as one JSON object, answered
// by {"result": {...}} or {"error": {...}}; GET /v1/info (unauthenticated); GET /v1/changes
// (an NDJSON stream of app.Change with heartbeats). Every request carries the protocol number
// and the API hash (a client of another generation is refused with EVERSION), a request ID
// (a retried write is answered from memory, never applied twice), the workstation's name and,
// once logged in, a session token; every response carries the server's clock.
package remote

//go:generate go run gen.go

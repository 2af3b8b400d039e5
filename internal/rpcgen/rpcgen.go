// Package rpcgen writes the remote implementation of the app service interfaces: a client type
// per interface (store/remote/zz_client.go) and a dispatch table for the server
// (store/remote/zz_server.go). It reads package occhealth/app with go/parser and go/types, so
// that a service added to app.Services is remote for free once `go generate ./store/remote`
// runs (a test in store/remote fails while the committed files are stale).
package rpcgen

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"go/ast"
	"go/format"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
)

// Local lists the app.Services fields that stay on the workstation: this PC's own settings,
// folders, printers and documents, the bundled rule table's planner, and the link itself.
// Every other interface field of app.Services is served remotely.
var Local = []string{"PC", "Drops", "Spooler", "Documents", "Exchange", "Planner", "Changes", "Connection"}

// Service is one remote interface: the app.Services field and its methods.
type Service struct {
	Field   string // app.Services field, e.g. "Workers"
	Type    string // interface type, e.g. "WorkerService"
	Methods []*Method
}

// Method is one remote method.
type Method struct {
	Name    string
	Params  []Param // after the context
	Results []Param // before the error
	Write   bool    // may change the archive: its outcome is remembered for retries
}

// Param is a parameter or result.
type Param struct {
	Name     string // Go name in the source, or a made-up one
	Key      string // JSON key
	Type     types.Type
	CopyBack bool // a pointer to a struct that the service may fill: travels back
}

// Result is what Generate produces.
type Result struct {
	Services []*Service
	Client   []byte
	Server   []byte
	APIHash  string
}

// readPrefixes name methods that only read; any other method is treated as a write (its
// outcome is remembered so that a retried request is never applied twice).
var readPrefixes = []string{"Find", "Search", "List", "Preview", "Verify"}

// readMethods are the reads whose names do not say so.
var readMethods = map[string]bool{
	"Setup.Status": true, "Institution.Institution": true, "Workers.WorkersByIDs": true,
	"Catalog.CatalogOverrides": true, "Rules.RuleTableOverride": true, "Audit.FindAudit": true,
	"Backup.BackupSettings": true, "Contracts.Attachment": true, "Records.OpenCriticals": true,
	"Records.ExamHistory": true, "Records.Referrals": true, "Records.ResultMappings": true,
	"DocumentSettings.DocumentTexts": true, "DocumentSettings.SealImage": true,
	"DocumentSettings.SignatureImage": true, "Calendar.Calendar": true, "Cards.Cards": true,
	"Cards.CardSettings": true, "Cards.ExportItems": true,
}

// Generate reads the app package in appDir (import path appPath) and returns the generated
// files for package remote.
func Generate(appDir, appPath string) (*Result, error) {
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, appDir, func(fi os.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", appDir, err)
	}
	var files []*ast.File
	for name, p := range pkgs {
		if name != "app" {
			continue
		}
		names := make([]string, 0, len(p.Files))
		for fn := range p.Files {
			names = append(names, fn)
		}
		sort.Strings(names)
		for _, fn := range names {
			files = append(files, p.Files[fn])
		}
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no package app in %s", appDir)
	}
	conf := types.Config{Importer: importer.ForCompiler(fset, "source", nil)}
	pkg, err := conf.Check(appPath, fset, files, nil)
	if err != nil {
		return nil, fmt.Errorf("type-check %s: %w", appPath, err)
	}
	obj := pkg.Scope().Lookup("Services")
	if obj == nil {
		return nil, fmt.Errorf("%s has no Services type", appPath)
	}
	st, ok := obj.Type().Underlying().(*types.Struct)
	if !ok {
		return nil, fmt.Errorf("app.Services is not a struct")
	}
	local := map[string]bool{}
	for _, l := range Local {
		local[l] = true
	}
	res := &Result{}
	for i := 0; i < st.NumFields(); i++ {
		f := st.Field(i)
		if local[f.Name()] {
			continue
		}
		named, ok := f.Type().(*types.Named)
		if !ok {
			continue
		}
		iface, ok := named.Underlying().(*types.Interface)
		if !ok {
			continue
		}
		svc := &Service{Field: f.Name(), Type: named.Obj().Name()}
		for j := 0; j < iface.NumMethods(); j++ {
			m, err := method(svc.Field, iface.Method(j))
			if err != nil {
				return nil, err
			}
			svc.Methods = append(svc.Methods, m)
		}
		res.Services = append(res.Services, svc)
	}
	res.APIHash, err = apiHash(res.Services)
	if err != nil {
		return nil, err
	}
	if res.Client, err = writeClient(res); err != nil {
		return nil, err
	}
	if res.Server, err = writeServer(res); err != nil {
		return nil, err
	}
	return res, nil
}

func method(field string, fn *types.Func) (*Method, error) {
	sig := fn.Type().(*types.Signature)
	where := field + "." + fn.Name()
	ps, rs := sig.Params(), sig.Results()
	if ps.Len() == 0 || types.TypeString(ps.At(0).Type(), nil) != "context.Context" {
		return nil, fmt.Errorf("%s: the first parameter is not a context.Context (list the field in rpcgen.Local if it stays on the workstation)", where)
	}
	if rs.Len() == 0 || types.TypeString(rs.At(rs.Len()-1).Type(), nil) != "error" {
		return nil, fmt.Errorf("%s: the last result is not an error", where)
	}
	if sig.Variadic() {
		return nil, fmt.Errorf("%s: variadic methods are not supported", where)
	}
	m := &Method{Name: fn.Name(), Write: isWrite(field + "." + fn.Name())}
	used := map[string]bool{}
	for i := 1; i < ps.Len(); i++ {
		p := ps.At(i)
		name := p.Name()
		if name == "" || name == "_" {
			name = fmt.Sprintf("a%d", i)
		}
		used[name] = true
		goName := name
		if reserved[goName] {
			goName += "Arg" // the generated client's own names
		}
		m.Params = append(m.Params, Param{Name: goName, Key: name, Type: p.Type(), CopyBack: isStructPointer(p.Type())})
	}
	for i := 0; i < rs.Len()-1; i++ {
		r := rs.At(i)
		key := r.Name()
		if key == "" || used[key] {
			key = fmt.Sprintf("r%d", i)
		}
		m.Results = append(m.Results, Param{Name: key, Key: key, Type: r.Type()})
	}
	return m, nil
}

// reserved are the names the generated client methods use themselves.
var reserved = map[string]bool{"ctx": true, "cl": true, "args": true, "res": true, "err": true}

func isWrite(name string) bool {
	if readMethods[name] {
		return false
	}
	m := name[strings.IndexByte(name, '.')+1:]
	for _, p := range readPrefixes {
		if strings.HasPrefix(m, p) {
			return false
		}
	}
	return true
}

func isStructPointer(t types.Type) bool {
	p, ok := t.(*types.Pointer)
	if !ok {
		return false
	}
	_, ok = p.Elem().Underlying().(*types.Struct)
	return ok
}

// apiHash fingerprints the wire shape: every method signature and every named type reachable
// from them, field by field. A client and a server of different hashes do not talk.
func apiHash(svcs []*Service) (string, error) {
	var b strings.Builder
	seen := map[*types.Named]bool{}
	var named []*types.Named
	var walk func(t types.Type, where string) error
	walk = func(t types.Type, where string) error {
		switch t := t.(type) {
		case *types.Named:
			if t.Obj().Pkg() == nil || !strings.HasPrefix(t.Obj().Pkg().Path(), "occhealth/") {
				return nil // standard library types (time.Time) marshal themselves
			}
			if seen[t] {
				return nil
			}
			seen[t] = true
			named = append(named, t)
			return walk(t.Underlying(), t.Obj().Name())
		case *types.Pointer:
			return walk(t.Elem(), where)
		case *types.Slice:
			return walk(t.Elem(), where)
		case *types.Array:
			return walk(t.Elem(), where)
		case *types.Map:
			if err := walk(t.Key(), where); err != nil {
				return err
			}
			return walk(t.Elem(), where)
		case *types.Struct:
			for i := 0; i < t.NumFields(); i++ {
				f := t.Field(i)
				if !f.Exported() {
					continue // not on the wire (nor in the store's JSON)
				}
				switch f.Type().Underlying().(type) {
				case *types.Signature, *types.Chan:
					return fmt.Errorf("%s.%s: a %s cannot travel as JSON", where, f.Name(), f.Type())
				case *types.Interface:
					if types.TypeString(f.Type(), nil) != "error" {
						return fmt.Errorf("%s.%s: an interface cannot travel as JSON", where, f.Name())
					}
				}
				if err := walk(f.Type(), where+"."+f.Name()); err != nil {
					return err
				}
			}
		case *types.Basic, *types.Interface:
		default:
			return fmt.Errorf("%s: unsupported type %s", where, t)
		}
		return nil
	}
	q := qualifier(nil)
	for _, s := range svcs {
		for _, m := range s.Methods {
			fmt.Fprintf(&b, "%s.%s(", s.Field, m.Name)
			for _, p := range m.Params {
				fmt.Fprintf(&b, "%s %s,", p.Key, types.TypeString(p.Type, q))
				if err := walk(p.Type, s.Field+"."+m.Name); err != nil {
					return "", err
				}
			}
			b.WriteString(") (")
			for _, r := range m.Results {
				fmt.Fprintf(&b, "%s %s,", r.Key, types.TypeString(r.Type, q))
				if err := walk(r.Type, s.Field+"."+m.Name); err != nil {
					return "", err
				}
			}
			b.WriteString(")\n")
		}
	}
	sort.Slice(named, func(i, j int) bool { return typeName(named[i]) < typeName(named[j]) })
	for _, n := range named {
		fmt.Fprintf(&b, "type %s %s\n", typeName(n), types.TypeString(n.Underlying(), q))
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:8]), nil
}

func typeName(n *types.Named) string { return n.Obj().Pkg().Path() + "." + n.Obj().Name() }

// qualifier names packages by their last path element, and records them in imports.
func qualifier(imports map[string]bool) types.Qualifier {
	return func(p *types.Package) string {
		if imports != nil {
			imports[p.Path()] = true
		}
		return p.Name()
	}
}

func lowerFirst(s string) string {
	r := []rune(s)
	r[0] = unicode.ToLower(r[0])
	return string(r)
}

func upperFirst(s string) string {
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// wireType is the type of an argument or result in the generated structs: a list of record
// IDs ([]int64, e.g. the hits of a search) travels packed (idList: delta varints in base64),
// which is several times cheaper than a JSON array of numbers at 100,000 hits; everything
// else travels as itself.
func wireType(t types.Type, q types.Qualifier) string {
	if s, ok := t.(*types.Slice); ok {
		if b, ok := s.Elem().(*types.Basic); ok && b.Kind() == types.Int64 {
			return "idList"
		}
	}
	return types.TypeString(t, q)
}

// prefix is the stem of a method's generated names: workersCreateWorker.
func prefix(s *Service, m *Method) string { return lowerFirst(s.Field) + m.Name }

func writeImports(b *bytes.Buffer, imports map[string]bool, extra ...string) {
	for _, e := range extra {
		imports[e] = true
	}
	paths := make([]string, 0, len(imports))
	for p := range imports {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	b.WriteString("import (\n")
	for _, p := range paths {
		if !strings.Contains(p, ".") && !strings.HasPrefix(p, "occhealth") {
			fmt.Fprintf(b, "\t%q\n", p)
		}
	}
	b.WriteString("\n")
	for _, p := range paths {
		if strings.HasPrefix(p, "occhealth") {
			fmt.Fprintf(b, "\t%q\n", p)
		}
	}
	b.WriteString(")\n\n")
}

const header = "// Code generated by occhealth/internal/rpcgen; DO NOT EDIT.\n\n"

func writeClient(r *Result) ([]byte, error) {
	imports := map[string]bool{}
	q := qualifier(imports)
	var body bytes.Buffer
	for _, s := range r.Services {
		ct := lowerFirst(s.Field) + "Client"
		fmt.Fprintf(&body, "// %s calls app.%s on the server.\ntype %s struct{ c *Client }\n\n", ct, s.Type, ct)
		fmt.Fprintf(&body, "var _ app.%s = %s{}\n\n", s.Type, ct)
		for _, m := range s.Methods {
			p := prefix(s, m)
			var params, rets, zero []string
			params = append(params, "ctx context.Context")
			for _, a := range m.Params {
				params = append(params, a.Name+" "+types.TypeString(a.Type, q))
			}
			for _, x := range m.Results {
				rets = append(rets, types.TypeString(x.Type, q))
				zero = append(zero, "res."+upperFirst(x.Key))
			}
			rets = append(rets, "error")
			fmt.Fprintf(&body, "func (cl %s) %s(%s) (%s) {\n", ct, m.Name, strings.Join(params, ", "), strings.Join(rets, ", "))
			fmt.Fprintf(&body, "\targs := %sArgs{", p)
			for i, a := range m.Params {
				if i > 0 {
					body.WriteString(", ")
				}
				fmt.Fprintf(&body, "%s: %s", upperFirst(a.Key), a.Name)
			}
			body.WriteString("}\n")
			fmt.Fprintf(&body, "\tvar res %sResults\n", p)
			fmt.Fprintf(&body, "\terr := cl.c.call(ctx, %q, %v, &args, &res)\n", s.Field+"."+m.Name, m.Write)
			for _, a := range m.Params {
				if a.CopyBack {
					k := upperFirst(a.Key)
					fmt.Fprintf(&body, "\tif res.%s != nil && %s != nil {\n\t\t*%s = *res.%s\n\t}\n", k, a.Name, a.Name, k)
				}
			}
			fmt.Fprintf(&body, "\treturn %s\n}\n\n", strings.Join(append(zero, "err"), ", "))
		}
	}
	// The argument and result types, shared with the server.
	for _, s := range r.Services {
		for _, m := range s.Methods {
			p := prefix(s, m)
			fmt.Fprintf(&body, "type %sArgs struct {\n", p)
			for _, a := range m.Params {
				fmt.Fprintf(&body, "\t%s %s `json:\"%s\"`\n", upperFirst(a.Key), wireType(a.Type, q), a.Key)
			}
			fmt.Fprintf(&body, "}\n\ntype %sResults struct {\n", p)
			for _, x := range m.Results {
				fmt.Fprintf(&body, "\t%s %s `json:\"%s\"`\n", upperFirst(x.Key), wireType(x.Type, q), x.Key)
			}
			for _, a := range m.Params {
				if a.CopyBack {
					fmt.Fprintf(&body, "\t%s %s `json:\"%s,omitempty\"` // filled by the service\n", upperFirst(a.Key), types.TypeString(a.Type, q), a.Key)
				}
			}
			body.WriteString("}\n\n")
		}
	}
	body.WriteString("// remoteServices returns a client of every remote interface.\nfunc remoteServices(c *Client) app.Services {\n\treturn app.Services{\n")
	for _, s := range r.Services {
		fmt.Fprintf(&body, "\t\t%s: %sClient{c},\n", s.Field, lowerFirst(s.Field))
	}
	body.WriteString("\t}\n}\n")
	var b bytes.Buffer
	b.WriteString(header + "package remote\n\n")
	writeImports(&b, imports, "context", "occhealth/app")
	fmt.Fprintf(&b, "// apiHash fingerprints the methods and the types that travel; client and server must agree.\nconst apiHash = %q\n\n", r.APIHash)
	b.Write(body.Bytes())
	return gofmt(b.Bytes(), "zz_client.go")
}

func writeServer(r *Result) ([]byte, error) {
	imports := map[string]bool{}
	var body bytes.Buffer
	body.WriteString("// methods is the dispatch table of the server: \"Service.Method\" → decode the arguments, call,\n// return the results.\nvar methods = map[string]method{\n")
	for _, s := range r.Services {
		for _, m := range s.Methods {
			p := prefix(s, m)
			fmt.Fprintf(&body, "\t%q: {write: %v, call: func(ctx context.Context, svc *app.Services, decode func(any) error) (any, error) {\n", s.Field+"."+m.Name, m.Write)
			fmt.Fprintf(&body, "\t\tvar a %sArgs\n\t\tif err := decode(&a); err != nil {\n\t\t\treturn nil, err\n\t\t}\n", p)
			var args []string
			args = append(args, "ctx")
			for _, a := range m.Params {
				args = append(args, "a."+upperFirst(a.Key))
			}
			var lhs, fields []string
			for _, x := range m.Results {
				lhs = append(lhs, "r."+upperFirst(x.Key))
			}
			for _, a := range m.Params {
				if a.CopyBack {
					fields = append(fields, fmt.Sprintf("%s: a.%s", upperFirst(a.Key), upperFirst(a.Key)))
				}
			}
			fmt.Fprintf(&body, "\t\tr := &%sResults{%s}\n", p, strings.Join(fields, ", "))
			call := fmt.Sprintf("svc.%s.%s(%s)", s.Field, m.Name, strings.Join(args, ", "))
			if len(lhs) == 0 {
				fmt.Fprintf(&body, "\t\terr := %s\n", call)
			} else {
				fmt.Fprintf(&body, "\t\tvar err error\n\t\t%s, err = %s\n", strings.Join(lhs, ", "), call)
			}
			body.WriteString("\t\treturn r, err\n\t}},\n")
		}
	}
	body.WriteString("}\n")
	var b bytes.Buffer
	b.WriteString(header + "package remote\n\n")
	writeImports(&b, imports, "context", "occhealth/app")
	b.Write(body.Bytes())
	return gofmt(b.Bytes(), "zz_server.go")
}

func gofmt(src []byte, name string) ([]byte, error) {
	out, err := format.Source(src)
	if err != nil {
		return nil, fmt.Errorf("gofmt %s: %w\n%s", name, err, src)
	}
	return out, nil
}

// WriteFiles generates into dir (store/remote) from appDir.
func WriteFiles(appDir, dir string) error {
	r, err := Generate(appDir, "occhealth/app")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "zz_client.go"), r.Client, 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "zz_server.go"), r.Server, 0o644)
}

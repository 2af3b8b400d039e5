package remote

import (
	"bytes"
	"os"
	"reflect"
	"slices"
	"testing"

	"occhealth/app"
	"occhealth/internal/rpcgen"
)

// TestGenerated_Fresh fails while zz_client.go and zz_server.go differ from a fresh generation
// (run go generate ./store/remote).
func TestGenerated_Fresh(t *testing.T) {
	r, err := rpcgen.Generate("../../app", "occhealth/app")
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][]byte{"zz_client.go": r.Client, "zz_server.go": r.Server} {
		got, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run go generate ./store/remote", name)
		}
	}
	if r.APIHash != apiHash {
		t.Errorf("apiHash %s, fresh %s", apiHash, r.APIHash)
	}
}

// TestGenerated_EveryService checks that every interface field of app.Services is either
// served remotely (and present in the dispatch table and the client) or listed as local.
func TestGenerated_EveryService(t *testing.T) {
	remote := remoteServices(nil)
	rv := reflect.ValueOf(remote)
	st := rv.Type()
	for i := 0; i < st.NumField(); i++ {
		f := st.Field(i)
		local := slices.Contains(rpcgen.Local, f.Name)
		if f.Type.Kind() != reflect.Interface {
			if local {
				t.Errorf("app.Services.%s is listed as local but is not an interface", f.Name)
			}
			continue
		}
		set := !rv.Field(i).IsNil()
		switch {
		case local && set:
			t.Errorf("app.Services.%s is both local and remote", f.Name)
		case !local && !set:
			t.Errorf("app.Services.%s is neither remote nor listed in rpcgen.Local", f.Name)
		case set:
			for j := 0; j < f.Type.NumMethod(); j++ {
				name := f.Name + "." + f.Type.Method(j).Name
				if _, ok := methods[name]; !ok {
					t.Errorf("%s missing from the server's dispatch table", name)
				}
			}
		}
	}
	var _ = app.Services{}
}

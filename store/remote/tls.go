package remote

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Certificate files in the server's configuration directory.
const (
	CertFile = "server.crt"
	KeyFile  = "server.key"
)

// DefaultPort is the port of an address given without one.
const DefaultPort = "8443"

// Fingerprint is the SHA-256 of a DER certificate as upper-case hex in groups of four
// ("3F2A 9C01 …"), as the server prints it and the window shows it.
func Fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	h := strings.ToUpper(hex.EncodeToString(sum[:]))
	var b strings.Builder
	for i := 0; i < len(h); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(h[i : i+4])
	}
	return b.String()
}

// normalizeFingerprint drops separators and case, so that a fingerprint typed with colons or
// in lower case compares equal.
func normalizeFingerprint(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if (r >= '0' && r <= '9') || (r >= 'A' && r <= 'F') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// LoadOrCreateCertificate reads the server's certificate and key from dir, creating a
// self-signed ECDSA P-256 certificate on first start (valid 20 years; names: the host name,
// the machine's IP addresses, localhost). created says whether it was made now.
func LoadOrCreateCertificate(dir string) (cert tls.Certificate, created bool, err error) {
	cp, kp := filepath.Join(dir, CertFile), filepath.Join(dir, KeyFile)
	cert, err = tls.LoadX509KeyPair(cp, kp)
	if err == nil {
		return cert, false, nil
	}
	if _, serr := os.Stat(cp); !errors.Is(serr, os.ErrNotExist) {
		return cert, false, fmt.Errorf("load server certificate %s: %w", cp, err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return cert, false, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return cert, false, err
	}
	host, _ := os.Hostname()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "occhealth server " + host, Organization: []string{"职业健康工作站"}},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().AddDate(20, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	if host != "" && host != "localhost" {
		tmpl.DNSNames = append(tmpl.DNSNames, host)
	}
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && !n.IP.IsLinkLocalUnicast() {
				tmpl.IPAddresses = append(tmpl.IPAddresses, n.IP)
			}
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return cert, false, err
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return cert, false, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return cert, false, err
	}
	if err := os.WriteFile(kp, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		return cert, false, err
	}
	if err := os.WriteFile(cp, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		return cert, false, err
	}
	cert, err = tls.LoadX509KeyPair(cp, kp)
	return cert, true, err
}

// CertificateFingerprint returns the fingerprint of a loaded certificate.
func CertificateFingerprint(c tls.Certificate) string {
	if len(c.Certificate) == 0 {
		return ""
	}
	return Fingerprint(c.Certificate[0])
}

// ServerTLSConfig is the TLS configuration of the server.
func ServerTLSConfig(c tls.Certificate) *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{c}, MinVersion: tls.VersionTLS12}
}

// pinError is a certificate that is not the pinned one.
type pinError struct{ got string }

func (e *pinError) Error() string {
	return "certificate fingerprint " + e.got + " is not the pinned one"
}

// clientTLS trusts exactly the certificate with fingerprint pin; with pin "", any certificate
// (Probe), reporting what it saw through seen.
func clientTLS(pin string, seen func(string)) *tls.Config {
	want := normalizeFingerprint(pin)
	return &tls.Config{
		InsecureSkipVerify: true, // the certificate is self-signed: trust is the pinned fingerprint below
		MinVersion:         tls.VersionTLS12,
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			if len(raw) == 0 {
				return &pinError{}
			}
			fp := Fingerprint(raw[0])
			if seen != nil {
				seen(fp)
			}
			if want != "" && normalizeFingerprint(fp) != want {
				return &pinError{got: fp}
			}
			return nil
		},
	}
}

// normalizeAddress adds the default port to an address without one.
func normalizeAddress(a string) string {
	a = strings.TrimSpace(a)
	a = strings.TrimPrefix(strings.TrimPrefix(a, "https://"), "http://")
	a = strings.TrimSuffix(a, "/")
	if _, _, err := net.SplitHostPort(a); err != nil {
		return net.JoinHostPort(strings.Trim(a, "[]"), DefaultPort)
	}
	return a
}

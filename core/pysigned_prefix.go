package signet

// PysignedPathPrefix is the path prefix a proxy in front of this server
// strips from request paths (nginx's location /files/ { proxy_pass
// http://backend/; }, or a gateway routing /billing/* to a service as /*):
// the signature covers the public path, prefix + the path received, where
// pysigned has the path of the public URL. It is compared byte for byte,
// escapes included, so write it as clients send it: percent-encoded
// ("/caf%C3%A9"), without a query, a fragment, a ';' (which would start
// pysigned's params) or a "." or ".." segment. Trailing '/' are dropped:
// "/files/" is "/files", and "/" or "" is no prefix.
//
// A signer given it checks that the URLs it signs, the public ones, have
// a path starting with prefix and "/"; what it signs is unchanged. A
// handler mounted with http.StripPrefix in this server needs no prefix:
// signet reads the raw request-target, which StripPrefix leaves as it came.
func PysignedPathPrefix(prefix string) PysignedSetting {
	return PysignedSetting{func(p *pysignedProfile) error {
		norm, err := normalizePathPrefix("PysignedPathPrefix", prefix, false, ";")
		if err != nil {
			return err
		}
		p.prefix = norm
		return nil
	}}
}

/**
 * Throwaway PEM material for unit tests only (generated once with openssl, EC P-256, valid until
 * 2126; nothing trusts it). A client certificate with its key, a key that belongs to no
 * certificate here, and a separate CA certificate.
 */
export const CLIENT_CERT_PEM = `-----BEGIN CERTIFICATE-----
MIIBzDCCAXGgAwIBAgIUJQppTaCQEKw0eO9mjtTwoObboT0wCgYIKoZIzj0EAwIw
OjEfMB0GA1UEAwwWY2xvdWRwaWxvdC10ZXN0LWNsaWVudDEXMBUGA1UECgwOc3lz
dGVtOm1hc3RlcnMwIBcNMjYxMTI1MTkyMzI2WhgPMjEyNjExMDExOTIzMjZaMDox
HzAdBgNVBAMMFmNsb3VkcGlsb3QtdGVzdC1jbGllbnQxFzAVBgNVBAoMDnN5c3Rl
bTptYXN0ZXJzMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEO/PXKZqLczYHW06P
hL36myBy5h34sWrQ0lBzysda8tKfIURuYqqXh032BRHBekLUbVybrtu4jQwlESds
avvjxKNTMFEwHQYDVR0OBBYEFJYj6JEloyzHBr42ajtCDsEygID1MB8GA1UdIwQY
MBaAFJYj6JEloyzHBr42ajtCDsEygID1MA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZI
zj0EAwIDSQAwRgIhAO5O/Dss0pxOclZTc5V8XmioUHI8g1veYrk3xOjc9cTXAiEA
tzeL++2dh9O51Stxq8AJWYWOpGUOHRH4xhOFe2pjw6Y=
-----END CERTIFICATE-----
`;

export const CLIENT_KEY_PEM = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgzZdIns+840Bytr36
7ymItUKCWbq8Ir3utIzDkiAnhPChRANCAAQ789cpmotzNgdbTo+EvfqbIHLmHfix
atDSUHPKx1ry0p8hRG5iqpeHTfYFEcF6QtRtXJuu27iNDCURJ2xq++PE
-----END PRIVATE KEY-----
`;

/** A valid key that does not match CLIENT_CERT_PEM. */
export const OTHER_KEY_PEM = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgcLHC2LyORkfgzjDr
+VLFJMxL074LV5KC8CZeELGuEj+hRANCAAT/0DoLo2YLXBqPCIPtP0rasTp7bLVB
SCfvuf6zQ57q8DmMoCJQIKKyZIrKuQ7lUrpXBmiLDn3h4/1Ihft4lSuI
-----END PRIVATE KEY-----
`;

export const CA_CERT_PEM = `-----BEGIN CERTIFICATE-----
MIIBkTCCATegAwIBAgIUQY1z2u1Th+6uqxIfuZTF2w+uUhkwCgYIKoZIzj0EAwIw
HTEbMBkGA1UEAwwSY2xvdWRwaWxvdC10ZXN0LWNhMCAXDTI2MTEyNTE5MjMyNloY
DzIxMjYxMTAxMTkyMzI2WjAdMRswGQYDVQQDDBJjbG91ZHBpbG90LXRlc3QtY2Ew
WTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQFci02oa816BKK4tP92BqAKZZE6P8U
BdrmchTyxkMGNt/7g6E1IPl5HaytvnVyMZ0WOadipFBbz6/bEgjnJokBo1MwUTAd
BgNVHQ4EFgQUft4qH/qCWZRsro6u9Ef8v+7TXf0wHwYDVR0jBBgwFoAUft4qH/qC
WZRsro6u9Ef8v+7TXf0wDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBF
AiEA3y3E10yq3uqJLWy0E5+HYD4fVmwStvwpaAWBjGHM/08CIFt5NmnSSipiCWGa
ROZmHCAj+zM3pX2uHpqO62CU1uQT
-----END CERTIFICATE-----
`;

/** Base64 of a PEM text, as in a kubeconfig's `*-data` fields. */
export function pemData(pem: string): string {
  return Buffer.from(pem, 'utf8').toString('base64');
}

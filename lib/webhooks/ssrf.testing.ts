// Destinations the SSRF guard must refuse, spelled the ways an attacker would spell them; shared by
// the guard's tests at delivery time (ssrf.test.ts) and at save time (endpoints.test.ts).

/** Loopback spelled every way a URL accepts it; a test server on 127.0.0.1 answers each when the guard is off. */
export const LOOPBACK_HOSTS = [
  "127.0.0.1",
  "127.1",
  "0x7f.1",
  "0177.0.0.1",
  "2130706433",
  "[::ffff:127.0.0.1]",
  "[::ffff:7f00:1]",
  "[0:0:0:0:0:ffff:127.0.0.1]",
  "[0:0:0:0:0:FFFF:7F00:0001]",
];

/** Other reserved destinations: cloud metadata and private addresses in IPv4-carrying IPv6 forms, and the special ranges. */
export const OTHER_RESERVED_HOSTS = [
  "169.254.169.254",
  "[::ffff:169.254.169.254]",
  "[::ffff:a9fe:a9fe]",
  "10.1.2.3",
  "[::ffff:10.1.2.3]",
  "0.0.0.0",
  "[::]",
  "[::1]",
  "[::127.0.0.1]",
  "[::ffff:0:127.0.0.1]",
  "[64:ff9b::127.0.0.1]",
  "[64:ff9b::a9fe:a9fe]",
  "[64:ff9b:1::808:808]",
  "[2002:7f00:1::]",
  "[2002:a9fe:a9fe::1]",
  "[2001:0:4136:e378:8000:63bf:80ff:fffe]",
  "[fec0::1]",
  "[fe80::1]",
  "[fd00:ec2::254]",
  "[ff02::1]",
  "[2001:db8::1]",
  "[100::1]",
  "[5f00::1]",
  "192.0.0.8",
  "198.18.0.1",
  "255.255.255.255",
];

/** Public destinations, some of them IPv6 forms that carry a public IPv4 address. */
export const PUBLIC_HOSTS = ["example.com", "93.184.215.14", "[2606:4700::1111]", "[::ffff:8.8.8.8]", "[64:ff9b::808:808]"];

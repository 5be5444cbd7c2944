#include "certs.h"

#include <sys/stat.h>

#include <stdexcept>

namespace preflight::testing {
namespace {

void openssl(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"openssl"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = run(argv, {}, std::chrono::seconds(20));
  if (r.exit_code != 0) throw std::runtime_error("openssl failed: " + r.err);
}

// Ten years: a CA that expires within 30 days is a warning (plan_warnings).
void make_ca(const std::string& dir, const std::string& name) {
  openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
           dir + "/" + name + ".key", "-out", dir + "/" + name + ".crt", "-days", "3650", "-subj",
           "/CN=preflight test " + name});
}

}  // namespace

TestPki make_test_pki(const TempDir& dir) {
  const std::string& d = dir.path();
  make_ca(d, "ca");
  make_ca(d, "other-ca");
  openssl({"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", d + "/server.key",
           "-out", d + "/server.csr", "-subj", "/CN=localhost"});
  std::string ext = dir.write("server.ext", "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
  openssl({"x509", "-req", "-in", d + "/server.csr", "-CA", d + "/ca.crt", "-CAkey", d + "/ca.key",
           "-CAcreateserial", "-out", d + "/server.crt", "-days", "400", "-extfile", ext});
  // Valid for three days: a passed check warns that it runs out soon.
  openssl({"x509", "-req", "-in", d + "/server.csr", "-CA", d + "/ca.crt", "-CAkey", d + "/ca.key",
           "-CAcreateserial", "-out", d + "/soon-leaf.crt", "-days", "3", "-extfile", ext});
  // Expired from the start: `openssl ca` takes explicit dates, so no test
  // has to wait for a certificate to run out.
  dir.write("index.txt", "");
  dir.write("serial", "01\n");
  std::string ca_config = dir.write("ca.cnf", "[ca]\ndefault_ca=test\n[test]\ndatabase=" + d + "/index.txt\nnew_certs_dir=" + d +
                                                  "\nserial=" + d + "/serial\ndefault_md=sha256\npolicy=any\n[any]\ncommonName=supplied\n");
  openssl({"ca", "-batch", "-config", ca_config, "-cert", d + "/ca.crt", "-keyfile", d + "/ca.key", "-in", d + "/server.csr",
           "-out", d + "/expired.crt", "-startdate", "20200101000000Z", "-enddate", "20200102000000Z", "-extfile", ext, "-notext"});
  std::string other_ext = dir.write("other.ext", "subjectAltName=DNS:db.other.internal\n");
  openssl({"x509", "-req", "-in", d + "/server.csr", "-CA", d + "/ca.crt", "-CAkey", d + "/ca.key",
           "-CAcreateserial", "-out", d + "/wrong-host.crt", "-days", "2", "-extfile", other_ext});
  openssl({"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", d + "/client.key",
           "-out", d + "/client.csr", "-subj", "/CN=postgres"});
  openssl({"x509", "-req", "-in", d + "/client.csr", "-CA", d + "/ca.crt", "-CAkey", d + "/ca.key",
           "-CAcreateserial", "-out", d + "/client.crt", "-days", "2"});
  chmod((d + "/client.key").c_str(), 0600);
  // A chain of three: ca -> intermediate -> the server's certificate.
  openssl({"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", d + "/intermediate.key",
           "-out", d + "/intermediate.csr", "-subj", "/CN=preflight test intermediate"});
  std::string ca_ext = dir.write("intermediate.ext", "basicConstraints=critical,CA:true\nkeyUsage=critical,keyCertSign,cRLSign\n");
  openssl({"x509", "-req", "-in", d + "/intermediate.csr", "-CA", d + "/ca.crt", "-CAkey", d + "/ca.key", "-CAcreateserial",
           "-out", d + "/intermediate.crt", "-days", "3650", "-extfile", ca_ext});
  openssl({"x509", "-req", "-in", d + "/server.csr", "-CA", d + "/intermediate.crt", "-CAkey", d + "/intermediate.key",
           "-CAcreateserial", "-out", d + "/intermediate-leaf.crt", "-days", "400", "-extfile", ext});
  return {d + "/ca.crt",          d + "/server.crt",     d + "/server.key",       d + "/other-ca.crt",
          d + "/expired.crt",     d + "/wrong-host.crt", d + "/client.crt",       d + "/client.key",
          d + "/intermediate.crt", d + "/intermediate-leaf.crt", d + "/other-ca.key", d + "/soon-leaf.crt"};
}

}  // namespace preflight::testing

// What pgjdbc (Debian's libpostgresql-jdbc-java) makes of a JDBC URL, for
// tests/tools/client_oracle.py: Driver.parseURL, the driver's own parser,
// and SslMode.of, its reading of sslmode and ssl. Nothing connects. Run as a
// single source file, one JVM for every URL (a start costs about a second):
//   java -cp /usr/share/java/postgresql.jar PgjdbcReading.java URL...
// prints one JSON object a line, in the order of the URLs.
import java.util.Properties;

import org.postgresql.Driver;
import org.postgresql.PGProperty;
import org.postgresql.jdbc.SslMode;

public class PgjdbcReading {
  static String quoted(String s) {
    if (s == null) return "null";
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') out.append('\\').append(c);
      else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
      else out.append(c);
    }
    return out.append('"').toString();
  }

  static String reading(String url) {
    Properties p = Driver.parseURL(url, new Properties());
    if (p == null) return "{\"error\": \"not a PostgreSQL JDBC URL (Driver.parseURL returned null)\"}";
    String sslmode;
    try {
      sslmode = SslMode.of(p).value;
    } catch (Exception e) {
      return "{\"error\": " + quoted(e.getMessage()) + "}";
    }
    return ("{\"hosts\": " + quoted(p.getProperty("PGHOST")) + ", \"ports\": " + quoted(p.getProperty("PGPORT"))
        + ", \"db\": " + quoted(p.getProperty("PGDBNAME")) + ", \"user\": " + quoted(PGProperty.USER.getOrDefault(p))
        + ", \"password\": " + quoted(PGProperty.PASSWORD.getOrDefault(p)) + ", \"sslmode\": " + quoted(sslmode)
        + ", \"sslfactory\": " + quoted(PGProperty.SSL_FACTORY.getOrDefault(p)) + "}");
  }

  public static void main(String[] args) {
    for (String url : args) System.out.println(reading(url));
  }
}

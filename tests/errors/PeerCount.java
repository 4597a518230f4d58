// How many records MARC4J's permissive ISO 2709 reader
// (org.marc4j.MarcPermissiveStreamReader, as Debian's libmarc4j-java ships
// it) reads from each file named: one line per file, "COUNT<TAB>PATH".
// Run as a single-file program, one JVM for every file:
//   java -cp /usr/share/java/marc4j.jar tests/errors/PeerCount.java FILE...
// A record MARC4J throws on is not counted, and reading goes on (as a
// user of the permissive reader would): the count is every record MARC4J
// can give. Ten failures in a row end the file.
import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.InputStream;
import org.marc4j.MarcPermissiveStreamReader;

public class PeerCount {
  public static void main(String[] args) throws Exception {
    for (String path : args) {
      int n = 0;
      try (InputStream in = new BufferedInputStream(new FileInputStream(path))) {
        MarcPermissiveStreamReader r = new MarcPermissiveStreamReader(in, true, true);
        int failures = 0;
        while (failures < 10) {
          try {
            if (!r.hasNext()) break;
            r.next();
            n++;
            failures = 0;
          } catch (Exception | Error e) {
            failures++;
          }
        }
      } catch (Exception e) {
        // the file could not be opened: 0
      }
      System.out.println(n + "\t" + path);
    }
  }
}

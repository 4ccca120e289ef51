import java.sql.*;
public class Check { public static void main(String[] a) throws Exception {
  try (var c = DriverManager.getConnection(a[0], "sa", ""); var s = c.createStatement(); var rs = s.executeQuery("select count(*), max(id) from t")) { rs.next(); System.out.println(rs.getLong(1) + " " + rs.getLong(2)); } } }

// TableOutput: what `leadkeeper logs` and `leadkeeper rejected` print, format by format.

#include "cli/table_output.h"

#include <QTest>

using leadkeeper::TableOutput;

class TestTableOutput : public QObject
{
    Q_OBJECT

private:
    static QString render(TableOutput::Format format, const QStringList &columns,
                          const QList<nlohmann::json> &rows)
    {
        QString text;
        QTextStream out(&text);
        TableOutput table(format, columns, out);
        for (const nlohmann::json &row : rows)
            table.add(row);
        table.finish();
        return text;
    }

private Q_SLOTS:
    void parseFormat()
    {
        QCOMPARE(TableOutput::parseFormat(QStringLiteral("json")), TableOutput::Format::Json);
        QCOMPARE(TableOutput::parseFormat(QStringLiteral("csv")), TableOutput::Format::Csv);
        QCOMPARE(TableOutput::parseFormat(QStringLiteral("table")), TableOutput::Format::Table);
        QVERIFY(!TableOutput::parseFormat(QStringLiteral("xml")));
        QVERIFY(!TableOutput::parseFormat(QString()));
    }

    void csvCell_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("cell");
        QTest::newRow("plain") << "Jane Doe" << "Jane Doe";
        QTest::newRow("empty") << "" << "";
        QTest::newRow("digits") << "1234567890123456789" << "1234567890123456789";
        QTest::newRow("comma") << "Doe, Jane" << "\"Doe, Jane\"";
        QTest::newRow("quote") << "say \"hi\"" << "\"say \"\"hi\"\"\"";
        QTest::newRow("newline") << "two\nlines" << "\"two\nlines\"";
        QTest::newRow("cr") << "a\rb" << "\"a\rb\"";
        QTest::newRow("formula =") << "=HYPERLINK(\"x\")" << "\"'=HYPERLINK(\"\"x\"\")\"";
        QTest::newRow("formula +") << "+1+2" << "'+1+2";
        QTest::newRow("formula -") << "-2+3" << "'-2+3";
        QTest::newRow("formula @") << "@SUM(A1)" << "'@SUM(A1)";
        QTest::newRow("formula tab") << "\t=1" << "'\t=1";
        QTest::newRow("formula cr") << "\r=1" << "\"'\r=1\"";
        QTest::newRow("formula with comma") << "=1,2" << "\"'=1,2\"";
        QTest::newRow("sign inside") << "a=b" << "a=b";
    }

    void csvCell()
    {
        QFETCH(QString, value);
        QFETCH(QString, cell);
        QCOMPARE(TableOutput::csvCell(value), cell);
    }

    void jsonIsOneObjectPerLineInColumnOrder()
    {
        const QString text = render(TableOutput::Format::Json, {"b_id", "a_count", "missing", "flag"},
                                    {{{"b_id", "9007199254740993"}, {"a_count", 2}, {"flag", true},
                                      {"not_a_column", "x"}},
                                     {{"b_id", "=1+1"}, {"a_count", 0}, {"flag", false}}});
        const QStringList lines = text.split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 3);
        QCOMPARE(lines.at(2), QString());
        QCOMPARE(lines.at(0), QStringLiteral(
                                  R"({"b_id":"9007199254740993","a_count":2,"missing":null,"flag":true})"));
        const auto second = nlohmann::json::parse(lines.at(1).toStdString());
        QCOMPARE(second.at("b_id").get<std::string>(), std::string("=1+1")); // JSON is not escaped
        QVERIFY(second.at("missing").is_null());
    }

    void jsonPrintsNothingWithoutRows()
    {
        QCOMPARE(render(TableOutput::Format::Json, {"a"}, {}), QString());
    }

    void csvHasHeaderAndCrlf()
    {
        const QString text = render(TableOutput::Format::Csv, {"id", "name", "organic", "n", "none"},
                                    {{{"id", "123"}, {"name", "Doe, \"JJ\""}, {"organic", true},
                                      {"n", 3}, {"none", nullptr}},
                                     {{"id", "-5"}, {"name", "@x"}, {"organic", false}, {"n", 0}}});
        QCOMPARE(text, QStringLiteral("id,name,organic,n,none\r\n"
                                      "123,\"Doe, \"\"JJ\"\"\",true,3,\r\n"
                                      "'-5,'@x,false,0,\r\n"));
    }

    void csvWithoutRowsStillHasHeader()
    {
        QCOMPARE(render(TableOutput::Format::Csv, {"a", "b"}, {}), QStringLiteral("a,b\r\n"));
    }

    void tableAlignsColumns()
    {
        const QString text = render(TableOutput::Format::Table, {"id", "status"},
                                    {{{"id", "1234567890"}, {"status", "pending"}},
                                     {{"id", "1"}, {"status", "error"}}});
        const QStringList lines = text.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3);
        QCOMPARE(lines.at(0), QStringLiteral("id          status"));
        QCOMPARE(lines.at(1), QStringLiteral("1234567890  pending"));
        QCOMPARE(lines.at(2), QStringLiteral("1           error"));
    }

    void tableSaysWhenEmpty()
    {
        const QString text = render(TableOutput::Format::Table, {"id", "status"}, {});
        QCOMPARE(text, QStringLiteral("id  status\n(no entries)\n"));
    }

    void tableNeutralisesControlCharactersAndCutsLongCells()
    {
        const std::string hostile = "line1\nline2\r\x1b[31mred\x1b[0m\tend";
        const QString text = render(TableOutput::Format::Table, {"v", "long"},
                                    {{{"v", hostile}, {"long", std::string(100, 'x')}}});
        QVERIFY(!text.contains(QChar(0x1b)));
        QVERIFY(!text.contains(QLatin1Char('\r')));
        QVERIFY(!text.contains(QLatin1Char('\t')));
        const QStringList lines = text.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2); // the header and one row: the value's line breaks are gone
        QVERIFY(lines.at(1).startsWith(QStringLiteral("line1 line2  [31mred [0m end")));
        QVERIFY(lines.at(1).endsWith(QString(59, QLatin1Char('x')) + QChar(0x2026)));
    }
};

QTEST_GUILESS_MAIN(TestTableOutput)
#include "tst_table_output.moc"

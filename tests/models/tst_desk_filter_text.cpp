// The desk's filter in words: what the confirmation of "Process all matching" tells the user.

#include "desk_filter_text.h"

#include <QDateTime>
#include <QTest>

using namespace leadkeeper;

namespace {

qint64 dayStart(int month, int day)
{
    return QDate(2025, month, day).startOfDay().toMSecsSinceEpoch();
}

} // namespace

class TestDeskFilterText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void describe_data();
    void describe();
};

void TestDeskFilterText::describe_data()
{
    QTest::addColumn<DeskFilter>("filter");
    QTest::addColumn<QString>("expected");

    QTest::newRow("nothing") << DeskFilter{} << "all leads";
    DeskFilter f;
    f.statuses = {LeadStatus::Error};
    QTest::newRow("a status") << f << "Error leads";
    f.statuses << LeadStatus::Loss;
    QTest::newRow("two statuses") << f << "Error or Loss leads";
    f = {};
    f.text = QStringLiteral("  erika   mustermann ");
    QTest::newRow("text, as typed") << f << "leads matching “erika mustermann”";
    f.statuses = {LeadStatus::Error};
    f.platform = QStringLiteral("instagram");
    f.organic = false;
    QTest::newRow("status, text, platform, ads")
        << f << "Error leads matching “erika mustermann” from Instagram, from ads";
    f = {};
    f.pageId = QStringLiteral("1029384756473829");
    f.formId = QStringLiteral("5647382910564738");
    QTest::newRow("page and form by name") << f
                                           << "leads of page Acme Roofing, from form 5647382910564738";
    f = {};
    f.source = LeadSource::Import;
    f.organic = true;
    QTest::newRow("source, organic") << f << "leads without an ad (organic), arrived by Import";
    f = {};
    f.receivedFromMs = dayStart(11, 22);
    f.receivedToMs = dayStart(11, 23);
    QTest::newRow("received on a day") << f << "leads received on 2025-11-22";
    f.receivedFromMs = dayStart(11, 1);
    QTest::newRow("received over days") << f << "leads received from 2025-11-01 to 2025-11-22";
    f = {};
    f.createdFromMs = dayStart(11, 16);
    QTest::newRow("submitted since") << f << "leads submitted since 2025-11-16";
    f = {};
    f.text = QStringLiteral("<b>x</b>");
    QTest::newRow("markup stays text") << f << "leads matching “<b>x</b>”";
}

void TestDeskFilterText::describe()
{
    QFETCH(DeskFilter, filter);
    QFETCH(QString, expected);
    const QHash<QString, QString> pages = {{QStringLiteral("1029384756473829"),
                                            QStringLiteral("Acme Roofing")}};
    QCOMPARE(describeDeskFilter(filter, pages, {}), expected);
}

QTEST_GUILESS_MAIN(TestDeskFilterText)
#include "tst_desk_filter_text.moc"

#include "processing/transform.h"

#include <QtTest>

using namespace leadkeeper;

// The transforms an admin writes into a mapping row, as text, and what they do to answers.
class TestTransform : public QObject
{
    Q_OBJECT

private slots:
    void parse_data();
    void parse();
    void apply_data();
    void apply();
    void applyToParts_data();
    void applyToParts();
    void phoneStepFailure();
};

void TestTransform::parse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("canonical"); // when valid
    QTest::addColumn<QString>("error");     // when invalid

    QTest::newRow("none") << "" << "" << "";
    QTest::newRow("blank is none") << "   " << "" << "";
    QTest::newRow("trim") << "trim" << "trim" << "";
    QTest::newRow("chain") << "trim|capitalize" << "trim|capitalize" << "";
    QTest::newRow("padded and mixed case") << " Trim | UPPER " << "trim|upper" << "";
    QTest::newRow("phone") << "phone" << "phone" << "";
    QTest::newRow("join with space") << "join: " << "join: " << "";
    QTest::newRow("join with comma space, then trim") << "join:, |trim" << "join:, |trim" << "";
    QTest::newRow("join with nothing") << "join:" << "join:" << "";
    QTest::newRow("steps around a join") << "trim|join: |lower" << "trim|join: |lower" << "";
    QTest::newRow("unknown name")
        << "titlecase" << ""
        << "Unknown transform \"titlecase\"; use trim, capitalize, lower, upper, phone or join:<sep>.";
    QTest::newRow("unknown inside chain")
        << "trim|strip" << "" << "Unknown transform \"strip\"; use trim, capitalize, lower, upper, phone or join:<sep>.";
    QTest::newRow("join without colon")
        << "join" << "" << "Unknown transform \"join\"; use trim, capitalize, lower, upper, phone or join:<sep>.";
    QTest::newRow("empty step")
        << "trim||upper" << ""
        << "The transform \"trim||upper\" has an empty step; separate transforms with one \"|\", as in trim|capitalize.";
    QTest::newRow("trailing bar")
        << "trim|" << ""
        << "The transform \"trim|\" has an empty step; separate transforms with one \"|\", as in trim|capitalize.";
    QTest::newRow("two joins") << "join: |join:-" << ""
                               << "The transform \"join: |join:-\" joins twice; use one join:<sep>.";
}

void TestTransform::parse()
{
    QFETCH(QString, text);
    QFETCH(QString, canonical);
    QFETCH(QString, error);

    QString actualError;
    const std::optional<Transform> t = Transform::parse(text, &actualError);
    QCOMPARE(actualError, error);
    QCOMPARE(t.has_value(), error.isEmpty());
    if (t) {
        QCOMPARE(t->text(), canonical);
        QCOMPARE(t->isEmpty(), canonical.isEmpty());
        // The canonical text parses to the same chain.
        QCOMPARE(Transform::parse(t->text(), nullptr)->steps(), t->steps());
    }
}

void TestTransform::apply_data()
{
    QTest::addColumn<QString>("transform");
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");

    QTest::newRow("none keeps spaces") << "" << "  Ada " << "  Ada ";
    QTest::newRow("trim") << "trim" << " \tAda Lovelace \n" << "Ada Lovelace";
    QTest::newRow("trim keeps inner spaces") << "trim" << " Ada  Lovelace " << "Ada  Lovelace";
    QTest::newRow("lower") << "lower" << "Ada@Example.COM" << "ada@example.com";
    QTest::newRow("upper") << "upper" << "de" << "DE";
    QTest::newRow("upper non-ASCII") << "upper" << "straße" << "STRASSE";
    QTest::newRow("capitalize") << "capitalize" << "ada LOVELACE" << "Ada Lovelace";
    QTest::newRow("capitalize hyphen") << "capitalize" << "jean-luc picard" << "Jean-Luc Picard";
    QTest::newRow("capitalize accents") << "capitalize" << "élodie ÇELIK" << "Élodie Çelik";
    QTest::newRow("capitalize Mc is simple") << "capitalize" << "McDONALD" << "Mcdonald";
    QTest::newRow("capitalize apostrophe is simple") << "capitalize" << "o'brien" << "O'brien";
    QTest::newRow("trim then capitalize") << "trim|capitalize" << "  ada  lovelace " << "Ada  Lovelace";
    QTest::newRow("order matters: capitalize then lower") << "capitalize|lower" << "ada" << "ada";
    QTest::newRow("join on one value is a no-op") << "join:-|upper" << "ada" << "ADA";
    QTest::newRow("phone") << "phone" << "0151 23456789" << "+4915123456789";
    QTest::newRow("trim then phone") << "trim|phone" << " 030 12345678 " << "+493012345678";
    QTest::newRow("phone leaves empty alone") << "phone" << "" << "";
}

void TestTransform::apply()
{
    QFETCH(QString, transform);
    QFETCH(QString, input);
    QFETCH(QString, expected);

    const std::optional<Transform> t = Transform::parse(transform, nullptr);
    QVERIFY(t);
    FieldError error;
    QCOMPARE(t->apply(input, PhoneContext{QStringLiteral("DE")}, &error), expected);
    QVERIFY(error.rule.isEmpty());
}

void TestTransform::applyToParts_data()
{
    QTest::addColumn<QString>("transform");
    QTest::addColumn<QStringList>("parts");
    QTest::addColumn<QString>("expected");

    QTest::newRow("join with space") << "join: " << QStringList{"Ada", "Lovelace"} << "Ada Lovelace";
    QTest::newRow("no join step: one space")
        << "" << QStringList{"Ada", "Lovelace"} << "Ada Lovelace";
    QTest::newRow("steps before the join run per part")
        << "trim|capitalize|join: " << QStringList{" ada ", " LOVELACE"} << "Ada Lovelace";
    QTest::newRow("steps after the join run on the whole")
        << "join:, |upper" << QStringList{"Berlin", "de"} << "BERLIN, DE";
    QTest::newRow("empty and blank parts are skipped")
        << "join: " << QStringList{"", "Lovelace", "  "} << "Lovelace";
    QTest::newRow("all empty") << "join: " << QStringList{"", ""} << "";
    QTest::newRow("one part") << "capitalize" << QStringList{"ada"} << "Ada";
    QTest::newRow("join without separator") << "join:" << QStringList{"030", "12345678"} << "03012345678";
    QTest::newRow("join then phone") << "join:|phone" << QStringList{"030", "12345678"} << "+493012345678";
}

void TestTransform::applyToParts()
{
    QFETCH(QString, transform);
    QFETCH(QStringList, parts);
    QFETCH(QString, expected);

    const std::optional<Transform> t = Transform::parse(transform, nullptr);
    QVERIFY(t);
    FieldError error;
    QCOMPARE(t->applyToParts(parts, PhoneContext{QStringLiteral("DE")}, &error), expected);
    QVERIFY(error.rule.isEmpty());
}

void TestTransform::phoneStepFailure()
{
    const std::optional<Transform> t = Transform::parse(QStringLiteral("trim|phone|upper"), nullptr);
    QVERIFY(t);
    QVERIFY(t->normalisesPhone());

    FieldError error;
    const QString out = t->apply(QStringLiteral(" 12345 "), PhoneContext{QStringLiteral("DE")}, &error);
    // The chain stops at the failing step and hands back the value that entered it.
    QCOMPARE(out, QStringLiteral("12345"));
    QCOMPARE(error.rule, QStringLiteral("phone"));
    QCOMPARE(error.value, QStringLiteral("12345"));
    QCOMPARE(error.message, QStringLiteral("\"12345\" is not a valid phone number for region DE."));
    QVERIFY(error.field.isEmpty());

    // Without an error sink it still fails safely.
    QCOMPARE(t->apply(QStringLiteral("12345"), PhoneContext{QStringLiteral("DE")}, nullptr), QStringLiteral("12345"));

    // A failure before the join stops the parts too.
    const std::optional<Transform> parts = Transform::parse(QStringLiteral("phone|join:, "), nullptr);
    FieldError partsError;
    parts->applyToParts({QStringLiteral("030 12345678"), QStringLiteral("12")}, PhoneContext{QStringLiteral("DE")},
                        &partsError);
    QCOMPARE(partsError.value, QStringLiteral("12"));
}

QTEST_GUILESS_MAIN(TestTransform)
#include "tst_transform.moc"

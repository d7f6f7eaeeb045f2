#include "processing/phone_normalizer.h"

#include <QtTest>

using namespace leadkeeper;

// What staff see: numbers as leads type them in six countries become E.164 or one clear sentence.
class TestPhoneNormalizer : public QObject
{
    Q_OBJECT

private slots:
    void normalize_data();
    void normalize();
    void knownRegions();
};

void TestPhoneNormalizer::normalize_data()
{
    QTest::addColumn<QString>("raw");
    QTest::addColumn<QString>("region");
    QTest::addColumn<QString>("e164");
    QTest::addColumn<QString>("error");

    // United States
    QTest::newRow("US national with brackets") << "(415) 555-0132" << "US" << "+14155550132" << "";
    QTest::newRow("US dotted") << "415.555.0132" << "US" << "+14155550132" << "";
    QTest::newRow("US with trunk 1") << "1-415-555-0132" << "US" << "+14155550132" << "";
    QTest::newRow("US tel: URI") << "tel:+1-415-555-0132" << "US" << "+14155550132" << "";
    QTest::newRow("US lowercase region") << "(415) 555-0132" << "us" << "+14155550132" << "";
    QTest::newRow("US possible but not valid (area code 123)")
        << "(123) 456-7890" << "US" << ""
        << "\"(123) 456-7890\" is not a valid phone number for region US.";
    QTest::newRow("US too short") << "555-0132" << "US" << ""
                                  << "\"555-0132\" is not a valid phone number for region US.";
    QTest::newRow("US vanity letters refused")
        << "1-800-FLOWERS" << "US" << ""
        << "\"1-800-FLOWERS\" contains letters; write the number with digits only (spaces and + ( ) - . / are fine).";

    // United Kingdom
    QTest::newRow("GB international") << "+44 20 7946 0958" << "GB" << "+442079460958" << "";
    QTest::newRow("GB with (0)") << "+44 (0) 20 7946 0958" << "GB" << "+442079460958" << "";
    QTest::newRow("GB mobile national") << "07911 123456" << "GB" << "+447911123456" << "";
    QTest::newRow("GB number with a French page") << "+44 7911 123456" << "FR" << "+447911123456" << "";
    QTest::newRow("GB one digit short") << "020 7946 095" << "GB" << ""
                                        << "\"020 7946 095\" is not a valid phone number for region GB.";

    // Germany
    QTest::newRow("DE mobile") << "0151 23456789" << "DE" << "+4915123456789" << "";
    QTest::newRow("DE Berlin landline") << "030 12345678" << "DE" << "+493012345678" << "";
    QTest::newRow("DE with 00 prefix") << "0049 151 23456789" << "DE" << "+4915123456789" << "";
    QTest::newRow("DE UK number via 00") << "00 44 20 7946 0958" << "DE" << "+442079460958" << "";
    QTest::newRow("DE five digits") << "12345" << "DE" << ""
                                    << "\"12345\" is not a valid phone number for region DE.";
    QTest::newRow("DE mobile one digit short") << "0151 2345678" << "DE" << ""
                                               << "\"0151 2345678\" is not a valid phone number for region DE.";
    QTest::newRow("DE letter l for digit 1")
        << "0l51 23456789" << "DE" << ""
        << "\"0l51 23456789\" contains letters; write the number with digits only (spaces and + ( ) - . / are fine).";

    // France
    QTest::newRow("FR mobile") << "06 12 34 56 78" << "FR" << "+33612345678" << "";
    QTest::newRow("FR Paris international") << "+33 1 23 45 67 89" << "FR" << "+33123456789" << "";
    QTest::newRow("FR too short") << "06 12 34" << "FR" << ""
                                  << "\"06 12 34\" is not a valid phone number for region FR.";
    QTest::newRow("FR too long with country code")
        << "+33 6 12 34 56 78 9" << "FR" << ""
        << "\"+33 6 12 34 56 78 9\" is not a valid phone number for region FR.";

    // India
    QTest::newRow("IN mobile") << "98765 43210" << "IN" << "+919876543210" << "";
    QTest::newRow("IN Mumbai landline") << "022 2345 6789" << "IN" << "+912223456789" << "";
    QTest::newRow("IN nine digits") << "98765 4321" << "IN" << ""
                                    << "\"98765 4321\" is not a valid phone number for region IN.";

    // Brazil
    QTest::newRow("BR São Paulo mobile") << "(11) 91234-5678" << "BR" << "+5511912345678" << "";
    QTest::newRow("BR Rio international") << "+55 21 2345-6789" << "BR" << "+552123456789" << "";
    QTest::newRow("BR one digit short") << "(11) 1234-567" << "BR" << ""
                                        << "\"(11) 1234-567\" is not a valid phone number for region BR.";

    // Empty, foreign country code, no region, bad region
    QTest::newRow("empty") << "" << "DE" << "" << "The phone number is empty.";
    QTest::newRow("blank") << "   " << "US" << "" << "The phone number is empty.";
    QTest::newRow("invalid number of another country")
        << "+44 20 12" << "DE" << "" << "\"+44 20 12\" is not a valid phone number for country code +44.";
    QTest::newRow("unknown country code") << "+999 1234" << "US" << ""
                                          << "\"+999 1234\" does not start with a known country code.";
    QTest::newRow("no region, international") << "+49 151 23456789" << "" << "+4915123456789" << "";
    QTest::newRow("no region, national")
        << "0151 23456789" << "" << ""
        << "\"0151 23456789\" has no country code and the page has no default region; write it with + and the "
           "country code, or set the page's region.";
    QTest::newRow("unknown region")
        << "0151 23456789" << "XX" << ""
        << "The region \"XX\" is not an ISO 3166 country code libphonenumber knows; set the page's region to a "
           "code such as DE or US.";
}

void TestPhoneNormalizer::normalize()
{
    QFETCH(QString, raw);
    QFETCH(QString, region);
    QFETCH(QString, e164);
    QFETCH(QString, error);

    const PhoneNormalizer::Result r = PhoneNormalizer::normalize(raw, region);
    QCOMPARE(r.error, error);
    QCOMPARE(r.e164, e164);
    QCOMPARE(r.ok(), error.isEmpty());
    if (r.ok()) {
        // E.164 is a fixed point: normalising it again changes nothing, whatever the region.
        QCOMPARE(PhoneNormalizer::normalize(r.e164, QStringLiteral("US")).e164, e164);
    }
}

void TestPhoneNormalizer::knownRegions()
{
    QVERIFY(PhoneNormalizer::isKnownRegion(QStringLiteral("DE")));
    QVERIFY(PhoneNormalizer::isKnownRegion(QStringLiteral("br")));
    QVERIFY(!PhoneNormalizer::isKnownRegion(QStringLiteral("XX")));
    QVERIFY(!PhoneNormalizer::isKnownRegion(QStringLiteral("DEU")));
    QVERIFY(!PhoneNormalizer::isKnownRegion(QString()));
}

QTEST_GUILESS_MAIN(TestPhoneNormalizer)
#include "tst_phone_normalizer.moc"

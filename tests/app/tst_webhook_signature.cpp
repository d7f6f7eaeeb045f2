// Meta's two authentication checks: X-Hub-Signature-256 over the raw body, and the handshake's
// verify token.

#include "ingest/webhook_signature.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>
#include <QTest>

using namespace leadkeeper;

class TestWebhookSignature : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void signIsWhatMetaSends()
    {
        // HMAC-SHA256 of "{}" with key "secret", as `openssl dgst -sha256 -hmac secret` prints it.
        const QByteArray expected =
            "sha256=" + QMessageAuthenticationCode::hash("{}", "secret", QCryptographicHash::Sha256)
                            .toHex();
        QCOMPARE(WebhookSignature::sign("secret", "{}"), expected);
        QCOMPARE(WebhookSignature::sign("key", "The quick brown fox jumps over the lazy dog"),
                 QByteArray("sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"));
    }

    void verify_data()
    {
        QTest::addColumn<QByteArray>("secret");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<WebhookSignature::Result>("result");

        const QByteArray body = R"({"object":"page","entry":[]})";
        const QByteArray good = WebhookSignature::sign("s3cret", body);
        const QByteArray hex = good.mid(7);
        using R = WebhookSignature::Result;

        QTest::newRow("valid") << QByteArray("s3cret") << body << good << R::Valid;
        QTest::newRow("valid, upper-case hex") << QByteArray("s3cret") << body
                                               << "sha256=" + hex.toUpper() << R::Valid;
        QTest::newRow("valid, surrounding blanks") << QByteArray("s3cret") << body
                                                   << " " + good + " \t" << R::Valid;
        QTest::newRow("empty body, valid") << QByteArray("s3cret") << QByteArray()
                                           << WebhookSignature::sign("s3cret", {}) << R::Valid;
        QTest::newRow("other secret") << QByteArray("other") << body << good << R::Mismatch;
        QTest::newRow("body altered by one byte")
            << QByteArray("s3cret") << QByteArray(body).replace("page", "pagE") << good << R::Mismatch;
        QTest::newRow("body re-serialised with spaces")
            << QByteArray("s3cret") << QByteArray(R"({"object": "page", "entry": []})") << good
            << R::Mismatch;
        QTest::newRow("last hex digit changed")
            << QByteArray("s3cret") << body
            << good.left(good.size() - 1) + (good.endsWith('0') ? "1" : "0") << R::Mismatch;
        QTest::newRow("no secret configured") << QByteArray() << body << good
                                              << R::NoSecretConfigured;
        QTest::newRow("no secret, no header") << QByteArray() << body << QByteArray()
                                              << R::NoSecretConfigured;
        QTest::newRow("missing") << QByteArray("s3cret") << body << QByteArray() << R::Missing;
        QTest::newRow("blank") << QByteArray("s3cret") << body << QByteArray("   ") << R::Missing;
        QTest::newRow("sha1 scheme") << QByteArray("s3cret") << body
                                     << "sha1=" + QCryptographicHash::hash(body, QCryptographicHash::Sha1).toHex()
                                     << R::Malformed;
        QTest::newRow("no scheme") << QByteArray("s3cret") << body << hex << R::Malformed;
        QTest::newRow("upper-case scheme") << QByteArray("s3cret") << body << "SHA256=" + hex
                                           << R::Malformed;
        QTest::newRow("too short") << QByteArray("s3cret") << body << good.left(good.size() - 2)
                                   << R::Malformed;
        QTest::newRow("too long") << QByteArray("s3cret") << body << good + "00" << R::Malformed;
        QTest::newRow("not hex") << QByteArray("s3cret") << body
                                 << "sha256=" + QByteArray(64, 'g') << R::Malformed;
        QTest::newRow("prefix only") << QByteArray("s3cret") << body << QByteArray("sha256=")
                                     << R::Malformed;
        QTest::newRow("two signatures") << QByteArray("s3cret") << body << good + "," + good
                                        << R::Malformed;
        QTest::newRow("binary junk") << QByteArray("s3cret") << body
                                     << QByteArray("sha256=\0\xff", 9) + QByteArray(62, '0')
                                     << R::Malformed;
    }

    void verify()
    {
        QFETCH(QByteArray, secret);
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, header);
        QFETCH(WebhookSignature::Result, result);
        QCOMPARE(WebhookSignature::verify(secret, body, header), result);
    }

    void describeNamesTheProblemAndNeverTheSecret()
    {
        using R = WebhookSignature::Result;
        for (R r : {R::Valid, R::NoSecretConfigured, R::Missing, R::Malformed, R::Mismatch}) {
            const QString text = WebhookSignature::describe(r);
            QVERIFY(!text.isEmpty());
            QVERIFY(text.endsWith(QLatin1Char('.')));
        }
        QVERIFY(WebhookSignature::describe(R::NoSecretConfigured).contains(QLatin1String("app_secret")));
        QVERIFY(WebhookSignature::describe(R::Missing).contains(QLatin1String("X-Hub-Signature-256")));
    }

    void constantTimeEquals_data()
    {
        QTest::addColumn<QByteArray>("a");
        QTest::addColumn<QByteArray>("b");
        QTest::addColumn<bool>("equal");
        QTest::newRow("both empty") << QByteArray() << QByteArray() << true;
        QTest::newRow("same") << QByteArray("abcdef") << QByteArray("abcdef") << true;
        QTest::newRow("binary same") << QByteArray("\0\x01\xff", 3) << QByteArray("\0\x01\xff", 3)
                                     << true;
        QTest::newRow("first byte differs") << QByteArray("xbcdef") << QByteArray("abcdef") << false;
        QTest::newRow("last byte differs") << QByteArray("abcdex") << QByteArray("abcdef") << false;
        QTest::newRow("one bit differs") << QByteArray("\x01", 1) << QByteArray("\x03", 1) << false;
        QTest::newRow("high bit differs") << QByteArray("\x80", 1) << QByteArray("\x00", 1) << false;
        QTest::newRow("prefix") << QByteArray("abc") << QByteArray("abcdef") << false;
        QTest::newRow("empty vs non-empty") << QByteArray() << QByteArray("a") << false;
        QTest::newRow("embedded NUL") << QByteArray("ab\0c", 4) << QByteArray("ab\0d", 4) << false;
    }

    void constantTimeEquals()
    {
        QFETCH(QByteArray, a);
        QFETCH(QByteArray, b);
        QFETCH(bool, equal);
        QCOMPARE(leadkeeper::constantTimeEquals(a, b), equal);
        QCOMPARE(leadkeeper::constantTimeEquals(b, a), equal);
    }

    void constantTimeEqualsLooksAtEveryByte()
    {
        // A difference anywhere is found, whatever came before it (no early exit on a match).
        const QByteArray base(4096, 'x');
        for (qsizetype i : {qsizetype(0), qsizetype(1), qsizetype(2047), qsizetype(4095)}) {
            QByteArray other = base;
            other[i] = 'y';
            QVERIFY2(!leadkeeper::constantTimeEquals(base, other), qPrintable(QString::number(i)));
        }
        QVERIFY(leadkeeper::constantTimeEquals(base, QByteArray(4096, 'x')));
    }

    void verifyToken_data()
    {
        QTest::addColumn<QByteArray>("configured");
        QTest::addColumn<QByteArray>("given");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("match") << QByteArray("tok-123") << QByteArray("tok-123") << true;
        QTest::newRow("case differs") << QByteArray("tok-123") << QByteArray("TOK-123") << false;
        QTest::newRow("prefix") << QByteArray("tok-123") << QByteArray("tok-12") << false;
        QTest::newRow("longer") << QByteArray("tok-123") << QByteArray("tok-1234") << false;
        QTest::newRow("empty given") << QByteArray("tok-123") << QByteArray() << false;
        QTest::newRow("empty configured, empty given") << QByteArray() << QByteArray() << false;
        QTest::newRow("empty configured, any given") << QByteArray() << QByteArray("x") << false;
        QTest::newRow("utf-8") << QByteArray("jeton-é") << QByteArray("jeton-é") << true;
    }

    void verifyToken()
    {
        QFETCH(QByteArray, configured);
        QFETCH(QByteArray, given);
        QFETCH(bool, accepted);
        QCOMPARE(WebhookSignature::verifyToken(configured, given), accepted);
    }
};

QTEST_GUILESS_MAIN(TestWebhookSignature)
#include "tst_webhook_signature.moc"

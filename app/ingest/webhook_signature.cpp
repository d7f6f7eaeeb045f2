#include "webhook_signature.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>

namespace leadkeeper {

bool constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

QByteArray WebhookSignature::sign(const QByteArray &appSecret, const QByteArray &rawBody)
{
    return "sha256="
           + QMessageAuthenticationCode::hash(rawBody, appSecret, QCryptographicHash::Sha256).toHex();
}

WebhookSignature::Result WebhookSignature::verify(const QByteArray &appSecret,
                                                  const QByteArray &rawBody, const QByteArray &header)
{
    if (appSecret.isEmpty())
        return Result::NoSecretConfigured;
    const QByteArray value = header.trimmed();
    if (value.isEmpty())
        return Result::Missing;
    static const QByteArray prefix = "sha256=";
    if (!value.startsWith(prefix) || value.size() != prefix.size() + 64)
        return Result::Malformed;
    const QByteArray hex = value.mid(prefix.size()).toLower();
    for (char c : hex) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return Result::Malformed;
    }
    const QByteArray expected =
        QMessageAuthenticationCode::hash(rawBody, appSecret, QCryptographicHash::Sha256);
    return constantTimeEquals(expected, QByteArray::fromHex(hex)) ? Result::Valid : Result::Mismatch;
}

QString WebhookSignature::describe(Result result)
{
    switch (result) {
    case Result::Valid: return QStringLiteral("The signature is valid.");
    case Result::NoSecretConfigured:
        return QStringLiteral("No app secret is configured, so no webhook can be verified. Set "
                              "meta/app_secret (LEADKEEPER_APP_SECRET).");
    case Result::Missing: return QStringLiteral("The X-Hub-Signature-256 header is missing.");
    case Result::Malformed:
        return QStringLiteral("The X-Hub-Signature-256 header is not of the form sha256=<64 hex "
                              "digits>.");
    case Result::Mismatch:
        return QStringLiteral("The X-Hub-Signature-256 signature does not match the body (wrong app "
                              "secret, or the body was altered).");
    }
    return {};
}

bool WebhookSignature::verifyToken(const QByteArray &configured, const QByteArray &given)
{
    if (configured.isEmpty())
        return false;
    // Compare digests, not the tokens: the time then does not even depend on the given length.
    return constantTimeEquals(QCryptographicHash::hash(configured, QCryptographicHash::Sha256),
                              QCryptographicHash::hash(given, QCryptographicHash::Sha256));
}

} // namespace leadkeeper

#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace leadkeeper {

/// Equal bytes? Takes time that depends only on the lengths, never on where the bytes differ
/// (every byte is looked at; unequal lengths answer false at once).
bool constantTimeEquals(QByteArrayView a, QByteArrayView b);

/**
 * Meta's two authentication checks (DESIGN.md §6): the subscription handshake's verify token, and
 * the X-Hub-Signature-256 HMAC-SHA256 over the raw body bytes (never over re-serialised JSON).
 * Both compare in constant time; an empty configured secret or token never verifies anything.
 * Nothing here logs or returns a secret.
 */
class WebhookSignature
{
public:
    enum class Result { Valid, NoSecretConfigured, Missing, Malformed, Mismatch };

    /// `header` is the value of X-Hub-Signature-256: "sha256=<64 hex digits>" (digits of either case; blanks
    /// around it are ignored). Any other shape is Malformed.
    static Result verify(const QByteArray &appSecret, const QByteArray &rawBody,
                         const QByteArray &header);
    /// "sha256=<hex>" for a body: what Meta sends; used by tests, the bench and the README.
    static QByteArray sign(const QByteArray &appSecret, const QByteArray &rawBody);
    /// One sentence for the 401 body and the rejected-deliveries log (never contains a secret).
    static QString describe(Result result);

    /// The handshake: an empty configured token never verifies.
    static bool verifyToken(const QByteArray &configured, const QByteArray &given);
};

} // namespace leadkeeper

#include "page_editor.h"

#include "config/config_store.h"

#include <QCheckBox>
#include <QDateTime>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace leadkeeper::ui {

namespace {

QString describeCheck(const TokenCheck &check)
{
    if (!check.error.isEmpty())
        return check.error;
    const TokenInfo &info = check.info;
    if (!info.valid)
        return QObject::tr("✗ Not valid: %1 Enter a new token.")
            .arg(info.error.isEmpty() ? QObject::tr("Meta does not accept it.") : info.error);
    QStringList parts{QObject::tr("✓ Valid")};
    if (!info.expiresAtMs) {
        parts << QObject::tr("never expires");
    } else {
        const QDateTime at = QDateTime::fromMSecsSinceEpoch(*info.expiresAtMs);
        const qint64 days = QDateTime::currentDateTime().daysTo(at);
        parts << QObject::tr("expires %1 (in %2 days)")
                     .arg(QLocale().toString(at.date(), QLocale::LongFormat))
                     .arg(days);
    }
    if (check.missingScopes.isEmpty())
        parts << QObject::tr("all needed permissions granted");
    else
        parts << QObject::tr("missing permissions: %1").arg(check.missingScopes.join(QStringLiteral(", ")));
    return parts.join(QStringLiteral(" · "));
}

} // namespace

PageEditor::PageEditor(const PageAdminContext &context, QWidget *parent)
    : QWidget(parent)
    , m_context(context)
    , m_pageId(new QLineEdit)
    , m_name(new QLineEdit)
    , m_region(new QLineEdit)
    , m_enabled(new QCheckBox(tr("Process leads from this page")))
    , m_token(new QLineEdit)
    , m_tokenHint(new QLabel)
    , m_test(new QPushButton(tr("Test token")))
    , m_tokenResult(new QLabel)
    , m_problem(new QLabel)
    , m_save(new QPushButton(tr("Save page")))
{
    m_pageId->setPlaceholderText(tr("digits, e.g. 1029384756473829"));
    m_name->setPlaceholderText(tr("e.g. Acme Roofing"));
    m_region->setPlaceholderText(tr("e.g. DE (empty: %1)").arg(tr("the settings default")));
    m_region->setMaxLength(2);
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("paste the page access token"));
    for (QLabel *l : {m_tokenHint, m_tokenResult, m_problem}) {
        l->setTextFormat(Qt::PlainText);
        l->setWordWrap(true);
    }
    m_problem->setStyleSheet(QStringLiteral("color: #b00020;"));

    auto *tokenRow = new QHBoxLayout;
    tokenRow->addWidget(m_token, 1);
    tokenRow->addWidget(m_test);
    auto *form = new QFormLayout;
    form->addRow(tr("Page id"), m_pageId);
    form->addRow(tr("Name"), m_name);
    form->addRow(tr("Phone region"), m_region);
    form->addRow(QString(), m_enabled);
    form->addRow(tr("Access token"), tokenRow);
    form->addRow(QString(), m_tokenHint);
    form->addRow(QString(), m_tokenResult);

    auto *saveRow = new QHBoxLayout;
    saveRow->addWidget(m_problem, 1);
    saveRow->addWidget(m_save, 0, Qt::AlignTop);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(form);
    layout->addLayout(saveRow);

    for (QLineEdit *e : {m_pageId, m_name, m_region, m_token})
        connect(e, &QLineEdit::textChanged, this, &PageEditor::validate);
    // Region codes are capitals; typing "de" is not a mistake worth an error.
    connect(m_region, &QLineEdit::textEdited, this, [this](const QString &t) {
        if (t != t.toUpper())
            m_region->setText(t.toUpper());
    });
    connect(m_enabled, &QCheckBox::toggled, this, &PageEditor::validate);
    connect(m_save, &QPushButton::clicked, this, &PageEditor::save);
    connect(m_test, &QPushButton::clicked, this, &PageEditor::testToken);
    connect(&m_saving, &QFutureWatcher<SaveResult>::finished, this, &PageEditor::onSaved);
    connect(&m_testing, &QFutureWatcher<TokenCheck>::finished, this, &PageEditor::onTokenTested);
    setPage({});
}

PageEditor::~PageEditor() = default;

void PageEditor::setPage(const PageOverview &page)
{
    ++m_generation; // results for the previous page are dropped
    m_original = page;
    m_pageId->setText(page.page.pageId);
    m_name->setText(page.page.name);
    m_region->setText(page.page.defaultRegion);
    m_enabled->setChecked(page.page.id == 0 || page.page.enabled);
    m_token->clear();
    m_tokenHint->setText(page.page.id == 0 ? tr("Stored in the system keychain (or an owner-only file), "
                                                "never shown again.")
                                           : tr("Token: %1. Type a new one to replace it.")
                                                 .arg(page.tokenHint));
    m_tokenResult->clear();
    m_tokenResult->hide();
    validate();
}

PageConfig PageEditor::editedPage() const
{
    PageConfig p = m_original.page;
    if (p.pageId != m_pageId->text().trimmed())
        p.tokenRef.clear(); // a corrected page id gets its own token key
    p.pageId = m_pageId->text().trimmed();
    p.name = m_name->text().trimmed();
    p.defaultRegion = m_region->text().trimmed();
    p.enabled = m_enabled->isChecked();
    return p;
}

QString PageEditor::typedToken() const
{
    return m_token->text().trimmed();
}

void PageEditor::validate()
{
    const PageConfig p = editedPage();
    // A field not filled in yet is a hint, not a mistake: red is kept for values that are wrong.
    QString problem;
    bool mistake = false;
    if (p.pageId.isEmpty()) {
        problem = tr("Enter the page id.");
    } else if (ConfigStore::isMetaId(p.pageId) && p.name.isEmpty()) {
        problem = tr("Enter a name: the page needs a name.");
    } else {
        problem = ConfigStore::validatePage(p);
        mistake = !problem.isEmpty();
    }
    m_problem->setStyleSheet(mistake ? QStringLiteral("color: #b00020;") : QStringLiteral("color: palette(text);"));
    m_problem->setText(problem);
    m_save->setEnabled(problem.isEmpty() && !m_saving.isRunning());
    m_save->setToolTip(problem);
    m_test->setEnabled(!m_testing.isRunning() && (!typedToken().isEmpty() || m_original.tokenSet));
}

void PageEditor::save()
{
    const PageConfig page = editedPage();
    if (!ConfigStore::validatePage(page).isEmpty() || m_saving.isRunning())
        return;
    const bool enabling = page.enabled && (m_original.page.id == 0 || !m_original.page.enabled);
    const PageAdminContext context = m_context;
    const QString token = typedToken();
    m_saving.setFuture(QtConcurrent::run([context, page, token, enabling] {
        SaveResult r;
        r.page = PageAdmin::savePage(context, page, token, &r.error);
        if (r.page && enabling)
            r.waiting = PageAdmin::processableWaiting(context, page.pageId, {}, nullptr);
        return r;
    }));
    m_save->setEnabled(false);
    m_problem->setStyleSheet(QStringLiteral("color: palette(text);"));
    m_problem->setText(tr("Saving…"));
}

void PageEditor::onSaved()
{
    const SaveResult r = m_saving.result();
    if (!r.page) {
        validate();
        m_problem->setStyleSheet(QStringLiteral("color: #b00020;"));
        m_problem->setText(r.error);
        return;
    }
    setPage(*r.page);
    m_problem->setStyleSheet(QStringLiteral("color: #1b5e20;"));
    m_problem->setText(tr("Saved."));
    Q_EMIT pageSaved(*r.page, r.waiting);
}

void PageEditor::testToken()
{
    if (m_testing.isRunning())
        return;
    const PageAdminContext context = m_context;
    const PageConfig page = editedPage();
    const QString token = typedToken();
    m_testGeneration = m_generation;
    m_testing.setFuture(QtConcurrent::run(
        [context, page, token] { return PageAdmin::testToken(context, page, token); }));
    m_tokenResult->setStyleSheet(QString());
    m_tokenResult->setText(tr("Asking Meta about the token…"));
    m_tokenResult->show();
    m_test->setEnabled(false);
}

void PageEditor::onTokenTested()
{
    validate();
    if (m_testGeneration != m_generation)
        return;
    const TokenCheck check = m_testing.result();
    const bool good = check.error.isEmpty() && check.info.valid && check.missingScopes.isEmpty();
    m_tokenResult->setStyleSheet(good ? QStringLiteral("color: #1b5e20;") : QStringLiteral("color: #b00020;"));
    m_tokenResult->setText(describeCheck(check));
    m_tokenResult->show();
}

} // namespace leadkeeper::ui

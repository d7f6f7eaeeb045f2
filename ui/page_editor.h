#pragma once

#include "config/page_admin.h"

#include <QFutureWatcher>
#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace leadkeeper::ui {

/**
 * Edits one page config: page id, name, default phone region, whether its leads are processed,
 * and its access token, entered in a password field and stored in the SecretStore. The token is
 * never read back into the field; the editor shows only its hint ("set (ends …a1b2)").
 *
 * Validation is ConfigStore::validatePage on every keystroke: the sentence stands under the form
 * and Save stays disabled while it fails. Save and "Test token" run on worker threads (PageAdmin);
 * the GUI thread never waits, and a result that arrives after the editor moved to another page is
 * dropped. pageSaved() carries the stored page and, when the save enabled the page, how many
 * waiting leads it makes processable.
 */
class PageEditor : public QWidget
{
    Q_OBJECT
public:
    explicit PageEditor(const PageAdminContext &context, QWidget *parent = nullptr);
    ~PageEditor() override;

    /// Shows a stored page (or a new one: PageOverview{} gives an empty form).
    void setPage(const PageOverview &page);
    PageConfig editedPage() const;
    QString typedToken() const;

    QLineEdit *pageIdEdit() const { return m_pageId; }
    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *regionEdit() const { return m_region; }
    QLineEdit *tokenEdit() const { return m_token; }
    QCheckBox *enabledBox() const { return m_enabled; }
    QPushButton *saveButton() const { return m_save; }
    QPushButton *testTokenButton() const { return m_test; }
    QLabel *problemLabel() const { return m_problem; }
    QLabel *tokenResultLabel() const { return m_tokenResult; }

Q_SIGNALS:
    void pageSaved(const leadkeeper::PageOverview &page, int processableWaiting);

private:
    struct SaveResult
    {
        std::optional<PageOverview> page;
        QString error;
        int waiting = 0;
    };
    void validate();
    void save();
    void onSaved();
    void testToken();
    void onTokenTested();

    PageAdminContext m_context;
    PageOverview m_original;
    quint64 m_generation = 0;
    quint64 m_testGeneration = 0;
    QLineEdit *m_pageId;
    QLineEdit *m_name;
    QLineEdit *m_region;
    QCheckBox *m_enabled;
    QLineEdit *m_token;
    QLabel *m_tokenHint;
    QPushButton *m_test;
    QLabel *m_tokenResult;
    QLabel *m_problem;
    QPushButton *m_save;
    QFutureWatcher<SaveResult> m_saving;
    QFutureWatcher<TokenCheck> m_testing;
};

} // namespace leadkeeper::ui

#pragma once

#include "store/lead_log_query.h"

#include <QTimer>
#include <QVariantMap>
#include <QWidget>

class QComboBox;
class QDateEdit;
class QLineEdit;
class QPushButton;
class QToolButton;

namespace leadkeeper::ui {

/**
 * The row of filters above the lead table: a search box and lists for source, platform, page,
 * form, organic and a date period (of the received or the submitted time).
 *
 * Its state is a saved-view spec (SavedViewModel) without statuses, which the sidebar owns.
 * specChanged() fires at once for the lists and kDebounce after the last keystroke in the search
 * box, so a typist causes one query. No business rules: what a spec means is SavedViewModel's.
 */
class FilterBar : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kDebounceMs = 250;

    explicit FilterBar(QWidget *parent = nullptr);

    QVariantMap spec() const;
    /// Shows `spec` (its statuses are ignored) and fires specChanged() once.
    void setSpec(const QVariantMap &spec);
    void setPages(const QList<LeadLogQuery::Choice> &pages);
    void setForms(const QList<LeadLogQuery::Choice> &forms);
    bool isFiltering() const;

Q_SIGNALS:
    void specChanged();
    void saveRequested();

private:
    void changed();
    void showPeriodDates();
    static void setChoices(QComboBox *box, const QString &anyLabel,
                           const QList<LeadLogQuery::Choice> &choices);

    QLineEdit *m_search = nullptr;
    QComboBox *m_source = nullptr;
    QComboBox *m_platform = nullptr;
    QComboBox *m_page = nullptr;
    QComboBox *m_form = nullptr;
    QComboBox *m_organic = nullptr;
    QComboBox *m_period = nullptr;
    QComboBox *m_periodOf = nullptr;
    QDateEdit *m_from = nullptr;
    QDateEdit *m_to = nullptr;
    QToolButton *m_clear = nullptr;
    QPushButton *m_save = nullptr;
    QTimer m_debounce;
    bool m_quiet = false;
};

} // namespace leadkeeper::ui

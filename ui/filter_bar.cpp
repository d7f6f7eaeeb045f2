#include "filter_bar.h"

#include <QComboBox>
#include <QDateEdit>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QToolButton>

namespace leadkeeper::ui {

namespace {

// As wide as its longest choice when there is room, but it gives way on a narrow screen (down to
// a few letters, elided) instead of making the window wider than the screen when more filters
// show (a date range adds three boxes).
class CompactComboBox : public QComboBox
{
public:
    using QComboBox::QComboBox;
    QSize minimumSizeHint() const override
    {
        QSize size = QComboBox::minimumSizeHint();
        size.setWidth(qMin(size.width(), fontMetrics().averageCharWidth() * 7 + 32));
        return size;
    }
};

QComboBox *choiceBox(const QString &objectName, const QList<QPair<QString, QString>> &items,
                     QWidget *parent)
{
    auto *box = new CompactComboBox(parent);
    box->setObjectName(objectName);
    for (const auto &[label, value] : items)
        box->addItem(label, value);
    box->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    return box;
}

QString current(const QComboBox *box)
{
    return box->currentData().toString();
}

void select(QComboBox *box, const QString &value)
{
    const int at = box->findData(value);
    box->setCurrentIndex(at < 0 ? 0 : at);
}

} // namespace

FilterBar::FilterBar(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);

    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("searchBox"));
    m_search->setPlaceholderText(tr("Search name, phone, e-mail, id, error…"));
    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(fontMetrics().averageCharWidth() * 18);
    layout->addWidget(m_search, 2);

    m_source = choiceBox(QStringLiteral("sourceFilter"),
                         {{tr("Any source"), {}},
                          {tr("Webhook"), QStringLiteral("webhook")},
                          {tr("Import"), QStringLiteral("import")},
                          {tr("Polling"), QStringLiteral("polling")},
                          {tr("API"), QStringLiteral("api")}},
                         this);
    m_platform = choiceBox(QStringLiteral("platformFilter"),
                           {{tr("Facebook and Instagram"), {}},
                            {tr("Facebook"), QStringLiteral("facebook")},
                            {tr("Instagram"), QStringLiteral("instagram")},
                            {tr("Platform not known yet"), QStringLiteral("unknown")}},
                           this);
    m_page = choiceBox(QStringLiteral("pageFilter"), {{tr("All pages"), {}}}, this);
    m_form = choiceBox(QStringLiteral("formFilter"), {{tr("All forms"), {}}}, this);
    m_organic = choiceBox(QStringLiteral("organicFilter"),
                          {{tr("Ads and organic"), {}},
                           {tr("From ads"), QStringLiteral("no")},
                           {tr("Organic"), QStringLiteral("yes")}},
                          this);
    m_period = choiceBox(QStringLiteral("periodFilter"),
                         {{tr("Any time"), {}},
                          {tr("Today"), QStringLiteral("today")},
                          {tr("Yesterday"), QStringLiteral("yesterday")},
                          {tr("Last 7 days"), QStringLiteral("7d")},
                          {tr("Last 30 days"), QStringLiteral("30d")},
                          {tr("Between…"), QStringLiteral("custom")}},
                         this);
    m_periodOf = choiceBox(QStringLiteral("periodOfFilter"),
                           {{tr("received"), QStringLiteral("received")},
                            {tr("submitted"), QStringLiteral("created")}},
                           this);
    m_periodOf->setToolTip(tr("Whether the period is about when Leadkeeper received the lead or "
                              "when the person submitted the form."));
    m_from = new QDateEdit(QDate::currentDate().addDays(-7), this);
    m_to = new QDateEdit(QDate::currentDate(), this);
    for (QDateEdit *edit : {m_from, m_to}) {
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
        connect(edit, &QDateEdit::dateChanged, this, &FilterBar::changed);
    }
    m_from->setObjectName(QStringLiteral("fromDate"));
    m_to->setObjectName(QStringLiteral("toDate"));

    for (QComboBox *box : {m_source, m_platform, m_page, m_form, m_organic, m_period, m_periodOf}) {
        layout->addWidget(box);
        connect(box, &QComboBox::currentIndexChanged, this, &FilterBar::changed);
    }
    layout->addWidget(m_from);
    layout->addWidget(m_to);
    connect(m_period, &QComboBox::currentIndexChanged, this, &FilterBar::showPeriodDates);
    showPeriodDates();

    m_clear = new QToolButton(this);
    m_clear->setObjectName(QStringLiteral("clearFilters"));
    m_clear->setText(tr("Clear filters"));
    connect(m_clear, &QToolButton::clicked, this, [this] { setSpec({}); });
    layout->addWidget(m_clear);
    m_save = new QPushButton(tr("Save view…"), this);
    m_save->setObjectName(QStringLiteral("saveView"));
    m_save->setToolTip(tr("Keep these filters as a view in the sidebar."));
    connect(m_save, &QPushButton::clicked, this, &FilterBar::saveRequested);
    layout->addWidget(m_save);
    layout->addStretch(0);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kDebounceMs);
    connect(m_search, &QLineEdit::textChanged, this, [this] { m_debounce.start(); });
    connect(&m_debounce, &QTimer::timeout, this, &FilterBar::changed);
}

void FilterBar::showPeriodDates()
{
    const bool custom = current(m_period) == QLatin1String("custom");
    m_from->setVisible(custom);
    m_to->setVisible(custom);
    m_periodOf->setVisible(!current(m_period).isEmpty());
}

void FilterBar::changed()
{
    m_debounce.stop();
    m_clear->setEnabled(isFiltering());
    if (!m_quiet)
        Q_EMIT specChanged();
}

bool FilterBar::isFiltering() const
{
    QVariantMap s = spec();
    s.remove(QStringLiteral("periodOf"));
    return !s.isEmpty();
}

QVariantMap FilterBar::spec() const
{
    QVariantMap s;
    auto put = [&s](const char *key, const QString &value) {
        if (!value.isEmpty())
            s.insert(QLatin1String(key), value);
    };
    put("text", m_search->text().trimmed());
    put("source", current(m_source));
    put("platform", current(m_platform));
    put("pageId", current(m_page));
    put("formId", current(m_form));
    put("organic", current(m_organic));
    put("period", current(m_period));
    if (!current(m_period).isEmpty())
        put("periodOf", current(m_periodOf));
    if (current(m_period) == QLatin1String("custom")) {
        put("from", m_from->date().toString(Qt::ISODate));
        put("to", m_to->date().toString(Qt::ISODate));
    }
    return s;
}

void FilterBar::setSpec(const QVariantMap &spec)
{
    m_quiet = true;
    auto get = [&spec](const char *key) { return spec.value(QLatin1String(key)).toString(); };
    m_search->setText(get("text"));
    select(m_source, get("source"));
    select(m_platform, get("platform"));
    select(m_page, get("pageId"));
    select(m_form, get("formId"));
    select(m_organic, get("organic"));
    select(m_period, get("period"));
    select(m_periodOf, get("periodOf"));
    const QDate from = QDate::fromString(get("from"), Qt::ISODate);
    const QDate to = QDate::fromString(get("to"), Qt::ISODate);
    if (from.isValid())
        m_from->setDate(from);
    if (to.isValid())
        m_to->setDate(to);
    m_quiet = false;
    changed();
}

void FilterBar::setChoices(QComboBox *box, const QString &anyLabel,
                           const QList<LeadLogQuery::Choice> &choices)
{
    const QString chosen = current(box);
    const QSignalBlocker blocker(box);
    box->clear();
    box->addItem(anyLabel, QString());
    for (const LeadLogQuery::Choice &c : choices)
        box->addItem(c.name.isEmpty() ? c.id : QStringLiteral("%1 (%2)").arg(c.name, c.id), c.id);
    select(box, chosen);
}

void FilterBar::setPages(const QList<LeadLogQuery::Choice> &pages)
{
    setChoices(m_page, tr("All pages"), pages);
}

void FilterBar::setForms(const QList<LeadLogQuery::Choice> &forms)
{
    setChoices(m_form, tr("All forms"), forms);
}

} // namespace leadkeeper::ui

#include "lead_fields_box.h"

#include "detail_text.h"
#include "plain_label.h"
#include "processing/lead_field.h"

#include <QGridLayout>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

namespace leadkeeper::ui {

namespace {

QString jsonString(const nlohmann::json &obj, const char *key)
{
    const auto it = obj.find(key);
    if (it == obj.end() || it->is_null())
        return {};
    return it->is_string() ? QString::fromStdString(it->get<std::string>())
                           : QString::fromStdString(it->dump());
}

// The Lead's values by field ("custom:" + key for custom fields): the stored Lead's, else what
// the payload maps to now.
QMap<QString, QString> leadValues(const LeadDetails &d)
{
    QMap<QString, QString> values;
    if (d.lead) {
        const StoredLead &l = *d.lead;
        values.insert(QStringLiteral("customer_name"), l.customerName);
        values.insert(QStringLiteral("phone"), l.phone);
        values.insert(QStringLiteral("email"), l.email);
        values.insert(QStringLiteral("city"), l.city);
        for (const auto &[json, prefix] : {std::pair{l.standardFields, QString()},
                                           std::pair{l.customFields, QStringLiteral("custom:")}}) {
            const auto obj = nlohmann::json::parse(json.cbegin(), json.cend(), nullptr, false);
            if (obj.is_object())
                for (auto it = obj.begin(); it != obj.end(); ++it)
                    values.insert(prefix + QString::fromStdString(it.key()), jsonString(obj, it.key().c_str()));
        }
    } else if (d.preview) {
        const LeadRecord &p = *d.preview;
        for (const QString &f : LeadField::standardFields())
            if (!p.value(f).isEmpty())
                values.insert(f, p.value(f));
        for (auto it = p.custom.cbegin(); it != p.custom.cend(); ++it)
            values.insert(QStringLiteral("custom:") + it.key(), it.value());
    }
    return values;
}

} // namespace

LeadFieldsBox::LeadFieldsBox(QWidget *parent) : QGroupBox(tr("The Lead"), parent)
{
    auto *layout = new QVBoxLayout(this);
    m_noLead = plainLabel(QString(), this, false);
    m_noLead->setWordWrap(true);
    layout->addWidget(m_noLead);
    m_fields = new QGridLayout;
    m_fields->setColumnStretch(1, 1);
    m_fields->setHorizontalSpacing(16);
    layout->addLayout(m_fields);
}

void LeadFieldsBox::setDetails(const LeadDetails &d)
{
    while (QLayoutItem *item = m_fields->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_problemCount = int(d.fieldErrors.size());
    const bool stored = d.lead.has_value();
    setTitle(stored ? tr("The Lead") : tr("The lead's answers and ad (not saved as a Lead yet)"));
    QString noAnswers;
    if (!stored && !d.preview) {
        if (!d.form || !d.pageEnabled || !d.form->enabled)
            noAnswers = tr("No answers to show yet: Leadkeeper fetches them from Meta once this "
                           "lead's page and form are set up and enabled (Setup → Pages and forms).");
        else if (d.entry.status == LeadStatus::Error || d.entry.status == LeadStatus::Loss)
            noAnswers = tr("No answers to show: Meta was not asked successfully (see the message "
                           "above). Process the lead again to fetch them.");
        else
            noAnswers = tr("No answers to show yet: Leadkeeper fetches them from Meta when it "
                           "processes the lead.");
    }
    m_noLead->setText(noAnswers);
    m_noLead->setVisible(!m_noLead->text().isEmpty());
    const int row = addFields(d);
    if (stored || d.preview)
        addAttribution(d, row);
}

// One row per field (the standard ones first), the field's error under its value; returns the
// next free row.
int LeadFieldsBox::addFields(const LeadDetails &d)
{
    if (!d.lead && !d.preview && d.fieldErrors.isEmpty())
        return 0;
    const QMap<QString, QString> values = leadValues(d);
    QStringList fields = {QStringLiteral("customer_name"), QStringLiteral("phone"),
                          QStringLiteral("email"), QStringLiteral("city")};
    for (auto it = values.cbegin(); it != values.cend(); ++it)
        if (!fields.contains(it.key()) && !it.value().isEmpty())
            fields << it.key();
    for (const FieldError &e : d.fieldErrors)
        if (!fields.contains(e.field))
            fields << e.field;

    const QColor red(0xb9, 0x1c, 0x1c);
    int row = 0;
    for (const QString &field : std::as_const(fields)) {
        const FieldError *error = nullptr;
        for (const FieldError &e : d.fieldErrors)
            if (e.field == field)
                error = &e;
        const QString label = field.isEmpty() ? tr("Lead payload") : LeadField::label(field);
        m_fields->addWidget(plainLabel(label, this), row, 0, Qt::AlignTop);
        QString text = error ? error->value : values.value(field);
        QLabel *value = plainLabel(error && text.isEmpty() ? tr("(empty)") : orNone(text), this);
        value->setWordWrap(true);
        m_fields->addWidget(value, row++, 1);
        if (!error)
            continue;
        QPalette p = value->palette();
        p.setColor(QPalette::WindowText, red);
        value->setPalette(p);
        QFont bold = value->font();
        bold.setBold(true);
        value->setFont(bold);
        QLabel *message = plainLabel(QStringLiteral("⚠ ") + error->message, this);
        message->setWordWrap(true);
        message->setPalette(p);
        m_fields->addWidget(message, row++, 1);
    }
    return row;
}

// The stored Lead's attribution, else the payload's.
void LeadFieldsBox::addAttribution(const LeadDetails &d, int row)
{
    QString campaign, adset, ad;
    if (d.lead) {
        const auto a = nlohmann::json::parse(d.lead->attribution.cbegin(), d.lead->attribution.cend(),
                                             nullptr, false);
        const auto attr = [&a](const char *key) { return a.is_object() ? jsonString(a, key) : QString(); };
        campaign = named(attr("campaign_name"), attr("campaign_id"));
        adset = named(attr("adset_name"), attr("adset_id"));
        ad = named(attr("ad_name"), attr("ad_id"));
    } else {
        campaign = named(d.preview->campaignName, d.preview->campaignId);
        adset = named(d.preview->adsetName, d.preview->adsetId);
        ad = named(d.preview->adName, d.preview->adId);
    }
    const QString stage = d.lead ? orNone(d.lead->lifecycleStage) : tr("(set when the Lead is saved)");
    for (const auto &[label, text] : {std::pair{tr("Campaign"), campaign}, std::pair{tr("Ad set"), adset},
                                      std::pair{tr("Ad"), ad}, std::pair{tr("Lifecycle stage"), stage}}) {
        m_fields->addWidget(plainLabel(label, this), row, 0, Qt::AlignTop);
        QLabel *value = plainLabel(text, this);
        value->setWordWrap(true);
        m_fields->addWidget(value, row++, 1);
    }
}

} // namespace leadkeeper::ui

#include "lead_detail_pane.h"

#include "detail_text.h"
#include "history_timeline.h"
#include "lead_fields_box.h"
#include "lead_log_model.h"
#include "lead_status_delegate.h"
#include "payload_viewer.h"
#include "plain_label.h"
#include "processing/lead_field.h"
#include "reprocess_controller.h"

#include <QAction>
#include <QDateTime>
#include <QFormLayout>
#include <QFrame>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QStackedWidget>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace leadkeeper::ui {

namespace {

QString timeText(std::optional<qint64> ms)
{
    if (!ms)
        return orNone(QString());
    return QDateTime::fromMSecsSinceEpoch(*ms).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString platformText(const QString &platform)
{
    const QString label = LeadLogModel::platformLabel(platform);
    return label.isEmpty() ? LeadDetailPane::tr("Unknown") : label;
}

} // namespace

LeadDetailPane::LeadDetailPane(LeadDetail *detail, ReprocessController *actions, QWidget *parent)
    : QWidget(parent), m_detail(detail)
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    m_stack = new QStackedWidget(this);
    outer->addWidget(m_stack);

    m_placeholder = plainLabel(QString(), m_stack, false);
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setForegroundRole(QPalette::PlaceholderText);
    m_stack->addWidget(m_placeholder);

    auto *content = new QWidget(m_stack);
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(8, 8, 8, 8);
    auto *header = new QHBoxLayout;
    m_title = plainLabel(QString(), content);
    QFont big = m_title->font();
    big.setPointSizeF(big.pointSizeF() * 1.35);
    big.setBold(true);
    m_title->setFont(big);
    m_badge = plainLabel(QString(), content, false);
    header->addWidget(m_title, 1);
    header->addWidget(m_badge);
    layout->addLayout(header);
    m_subtitle = plainLabel(QString(), content);
    m_subtitle->setWordWrap(true);
    m_subtitle->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_subtitle);

    m_errorBox = new QFrame(content);
    m_errorBox->setObjectName(QStringLiteral("leadMessage"));
    auto *errorLayout = new QVBoxLayout(m_errorBox);
    m_errorText = plainLabel(QString(), m_errorBox);
    m_errorText->setWordWrap(true);
    errorLayout->addWidget(m_errorText);
    layout->addWidget(m_errorBox);

    auto *buttons = new QHBoxLayout;
    if (actions) {
        for (QAction *a : {actions->processAgainAction(), actions->correctAction(),
                           actions->markLossAction(), actions->restoreAction()}) {
            auto *b = new QToolButton(content);
            b->setDefaultAction(a);
            b->setToolButtonStyle(Qt::ToolButtonTextOnly);
            buttons->addWidget(b);
        }
        connect(actions, &ReprocessController::message, this, &LeadDetailPane::showMessage);
    }
    buttons->addStretch(1);
    layout->addLayout(buttons);
    m_notice = plainLabel(QString(), content);
    m_notice->setWordWrap(true);
    m_notice->hide();
    layout->addWidget(m_notice);

    m_tabs = new QTabWidget(content);
    m_tabs->addTab(buildOverview(), tr("Overview"));
    m_timeline = new HistoryTimeline;
    auto *historyScroll = new QScrollArea;
    historyScroll->setWidgetResizable(true);
    historyScroll->setWidget(m_timeline);
    m_tabs->addTab(historyScroll, tr("History"));
    m_leadPayload = new PayloadViewer(tr("No lead payload yet: Leadkeeper fetches it from Meta when "
                                         "the lead is processed."));
    m_tabs->addTab(m_leadPayload, tr("Lead payload"));
    m_rawPayload = new PayloadViewer(tr("Nothing was stored for this lead as it arrived."));
    m_tabs->addTab(m_rawPayload, tr("Raw payload"));
    layout->addWidget(m_tabs, 1);
    m_stack->addWidget(content);

    m_loadingDelay.setSingleShot(true);
    m_loadingDelay.setInterval(200);
    connect(&m_loadingDelay, &QTimer::timeout, this, [this] { showPlaceholder(tr("Loading…")); });
    connect(m_detail, &LeadDetail::loadStarted, this, [this](const QString &leadgenId) {
        if (m_detail->current() && m_detail->current()->entry.leadgenId == leadgenId)
            return; // a reload of the lead shown: keep it on screen
        m_notice->hide();
        m_loadingDelay.start();
    });
    connect(m_detail, &LeadDetail::loaded, this, &LeadDetailPane::showDetails);
    connect(m_detail, &LeadDetail::loadFailed, this, [this](const QString &, const QString &error) {
        showPlaceholder(tr("This lead cannot be shown.\n%1").arg(error));
    });
    connect(m_detail, &LeadDetail::cleared, this,
            [this] { showPlaceholder(tr("Select a lead to see its details.")); });
    if (m_detail->current())
        showDetails(*m_detail->current());
    else
        showPlaceholder(tr("Select a lead to see its details."));
}

QWidget *LeadDetailPane::buildOverview()
{
    auto *scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *page = new QWidget;
    auto *layout = new QVBoxLayout(page);

    m_leadBox = new LeadFieldsBox(page);
    layout->addWidget(m_leadBox);

    auto *entryBox = new QGroupBox(tr("How it arrived"), page);
    auto *entryForm = new QFormLayout(entryBox);
    addValueRow(entryForm, QStringLiteral("leadgen"), tr("Leadgen id"));
    addValueRow(entryForm, QStringLiteral("page"), tr("Page"));
    addValueRow(entryForm, QStringLiteral("form"), tr("Form"));
    addValueRow(entryForm, QStringLiteral("adId"), tr("Ad id"));
    addValueRow(entryForm, QStringLiteral("adgroupId"), tr("Ad set id"));
    addValueRow(entryForm, QStringLiteral("created"), tr("Submitted on Meta"));
    addValueRow(entryForm, QStringLiteral("received"), tr("Received"));
    addValueRow(entryForm, QStringLiteral("source"), tr("Source"));
    addValueRow(entryForm, QStringLiteral("platform"), tr("Platform"));
    addValueRow(entryForm, QStringLiteral("organic"), tr("Organic"));
    addValueRow(entryForm, QStringLiteral("attempts"), tr("Retries (Meta errors)"));
    addValueRow(entryForm, QStringLiteral("deliveries"), tr("Deliveries from Meta"));
    addValueRow(entryForm, QStringLiteral("corrections"), tr("Corrections"));
    addValueRow(entryForm, QStringLiteral("updated"), tr("Last change"));
    layout->addWidget(entryBox);
    layout->addStretch(1);
    scroll->setWidget(page);
    return scroll;
}

QLabel *LeadDetailPane::addValueRow(QFormLayout *form, const QString &key, const QString &label)
{
    QLabel *value = plainLabel(QString(), form->parentWidget());
    value->setWordWrap(true);
    form->addRow(plainLabel(label, form->parentWidget(), false), value);
    m_values.insert(key, value);
    return value;
}

void LeadDetailPane::setValue(const QString &key, const QString &text)
{
    if (QLabel *label = m_values.value(key))
        label->setText(orNone(text));
}

void LeadDetailPane::showMessage(const QString &text, bool isError)
{
    m_notice->setText(text);
    QPalette p = m_notice->palette();
    p.setColor(QPalette::WindowText, isError ? QColor(0xb9, 0x1c, 0x1c) : palette().color(QPalette::WindowText));
    m_notice->setPalette(p);
    m_notice->setVisible(!text.isEmpty());
}

int LeadDetailPane::problemCount() const
{
    return m_leadBox->problemCount();
}

QString LeadDetailPane::titleText() const
{
    return m_title->text();
}

QString LeadDetailPane::errorText() const
{
    return m_errorBox->isHidden() ? QString() : m_errorText->text();
}

bool LeadDetailPane::isShowingLead() const
{
    return m_stack->currentIndex() == 1;
}

void LeadDetailPane::showPlaceholder(const QString &text)
{
    m_loadingDelay.stop();
    m_placeholder->setText(text);
    m_stack->setCurrentIndex(0);
}

void LeadDetailPane::showDetails(const LeadDetails &details)
{
    m_loadingDelay.stop();
    showHeader(details);
    m_leadBox->setDetails(details);
    showEntry(details);
    m_timeline->setEvents(details.history);
    m_tabs->setTabText(1, tr("History (%1)").arg(details.history.size()));
    m_leadPayload->setPayload(details.entry.leadPayload);
    m_rawPayload->setPayload(details.entry.rawPayload);
    m_stack->setCurrentIndex(1);
}

void LeadDetailPane::showHeader(const LeadDetails &d)
{
    const LeadLogEntry &e = d.entry;
    QString name = d.lead ? d.lead->customerName : d.preview ? d.preview->customerName : QString();
    for (const FieldError &err : d.fieldErrors) // a name that failed: as the person typed it
        if (err.field == QLatin1String("customer_name") && !d.lead)
            name = err.value;
    m_title->setText(name.isEmpty() ? tr("Lead %1").arg(e.leadgenId) : name);
    const QColor color = LeadStatusDelegate::statusColor(e.status, palette().color(QPalette::Base));
    m_badge->setText(statusLabel(e.status));
    m_badge->setStyleSheet(QStringLiteral("QLabel { color: white; background: %1; border-radius: 9px; "
                                          "padding: 2px 10px; font-weight: bold; }")
                               .arg(color.name()));
    const QString form = d.form && !d.form->formName.isEmpty() ? d.form->formName
                         : !d.fetchedFormName.isEmpty()          ? d.fetchedFormName
                                                                 : e.formId;
    m_subtitle->setText(tr("%1 · %2 · received %3")
                            .arg(d.pageName.isEmpty() ? tr("page %1").arg(e.pageId) : d.pageName,
                                 tr("form %1").arg(form), timeText(e.receivedAtMs)));

    QString message = e.errorMessage;
    if (e.status == LeadStatus::Loss) {
        message.clear();
        for (auto it = d.history.crbegin(); it != d.history.crend(); ++it)
            if (it->to == LeadStatus::Loss && it->from != LeadStatus::Loss) {
                message = tr("%1 (by %2 on %3)").arg(it->message, it->actor, timeText(it->atMs));
                break;
            }
    }
    const bool show = e.status != LeadStatus::Processed && !message.isEmpty();
    m_errorBox->setVisible(show);
    m_errorText->setText(message);
    // Soft tints that keep dark text readable: red for Error, amber for setup problems.
    QColor tint(0xf3, 0xe8, 0xff); // Loss
    if (e.status == LeadStatus::Error)
        tint = QColor(0xfe, 0xe2, 0xe2);
    else if (e.status == LeadStatus::Unconfigured || e.status == LeadStatus::Disabled)
        tint = QColor(0xfe, 0xf3, 0xc7);
    else if (e.status == LeadStatus::Pending)
        tint = QColor(0xdb, 0xea, 0xfe);
    m_errorBox->setStyleSheet(QStringLiteral("#leadMessage { background: %1; border: 1px solid %2; "
                                             "border-radius: 4px; }")
                                  .arg(tint.name(), tint.darker(125).name()));
    QPalette p = m_errorText->palette();
    p.setColor(QPalette::WindowText, QColor(0x1f, 0x29, 0x37));
    m_errorText->setPalette(p);
}

void LeadDetailPane::showEntry(const LeadDetails &d)
{
    const LeadLogEntry &e = d.entry;
    setValue(QStringLiteral("leadgen"), e.leadgenId);
    setValue(QStringLiteral("page"), d.pageName.isEmpty() ? tr("%1 (not set up in Pages and forms)").arg(e.pageId)
                                                          : named(d.pageName, e.pageId));
    setValue(QStringLiteral("form"), d.form ? named(d.form->formName, e.formId)
                                            : tr("%1 (not mapped)").arg(d.fetchedFormName.isEmpty()
                                                                            ? orNone(e.formId)
                                                                            : named(d.fetchedFormName, e.formId)));
    setValue(QStringLiteral("adId"), e.adId);
    setValue(QStringLiteral("adgroupId"), e.adgroupId);
    setValue(QStringLiteral("created"), timeText(e.createdAtMs));
    setValue(QStringLiteral("received"), timeText(e.receivedAtMs));
    setValue(QStringLiteral("source"), LeadLogModel::sourceLabel(e.source));
    setValue(QStringLiteral("platform"), platformText(e.platform));
    setValue(QStringLiteral("organic"), e.organic ? tr("Yes (no ad)") : tr("No"));
    setValue(QStringLiteral("attempts"),
             e.nextAttemptAtMs ? tr("%1, next attempt at %2").arg(e.attempts).arg(timeText(e.nextAttemptAtMs))
             : e.attempts == 0 ? tr("None")
                               : QString::number(e.attempts));
    setValue(QStringLiteral("deliveries"), QString::number(e.deliveries));
    QStringList corrections;
    for (const Correction &c : d.corrections) {
        QString target = c.target;
        if (target.startsWith(QLatin1String("field:")))
            target = LeadField::label(target.mid(6));
        else if (target.startsWith(QLatin1String("question:")))
            target = tr("question %1").arg(target.mid(9));
        corrections << tr("%1 → \"%2\" (%3, %4)").arg(target, c.value, c.author, timeText(c.atMs));
    }
    setValue(QStringLiteral("corrections"), corrections.isEmpty() ? tr("None") : corrections.join(QLatin1Char('\n')));
    setValue(QStringLiteral("updated"), timeText(e.updatedAtMs));
}

} // namespace leadkeeper::ui

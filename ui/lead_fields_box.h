#pragma once

#include "lead_detail.h"

#include <QGroupBox>

class QGridLayout;
class QLabel;

namespace leadkeeper::ui {

/**
 * The Lead a lead log entry produced, in the detail pane: its values (before a Lead exists, what
 * the lead filled in, mapped as processing would map it), each field's error in red right under
 * the value it concerns, then the attribution (campaign, ad set, ad) and the lifecycle stage.
 * Every value is plain text.
 */
class LeadFieldsBox : public QGroupBox
{
    Q_OBJECT
public:
    explicit LeadFieldsBox(QWidget *parent = nullptr);

    void setDetails(const LeadDetails &details);
    /// Fields with an error shown now.
    int problemCount() const { return m_problemCount; }

private:
    int addFields(const LeadDetails &details);
    void addAttribution(const LeadDetails &details, int row);

    QLabel *m_noLead = nullptr;
    QGridLayout *m_fields = nullptr;
    int m_problemCount = 0;
};

} // namespace leadkeeper::ui

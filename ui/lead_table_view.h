#pragma once

#include <QTableView>

namespace leadkeeper {
class LeadLogModel;
}

namespace leadkeeper::ui {

/**
 * The desk's table of the lead log (a LeadLogModel): rows selected whole (several at once for the
 * bulk actions), a coloured status badge, columns in the order staff read them with widths from
 * typical contents, fixed row heights (sizing rows to their contents costs seconds on big logs).
 *
 * Guarantees: sorting happens in SQL, on the columns that have an index; a click on another
 * column leaves the order and its arrow as they were. New leads inserted above the rows in view
 * keep those rows in view, unless the user is at the very top, watching new leads arrive.
 */
class LeadTableView : public QTableView
{
    Q_OBJECT
public:
    explicit LeadTableView(LeadLogModel *model, QWidget *parent = nullptr);

private:
    void setUpColumns();
    void keepSortable(int column);
    void keepRowsInView(int first, int last);

    LeadLogModel *m_model;
};

} // namespace leadkeeper::ui

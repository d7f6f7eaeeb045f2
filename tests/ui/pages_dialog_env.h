#pragma once

// What the Pages dialog tests run against: a temporary store, an owner-only secrets file in its
// folder and a FakeGraphServer, plus the steps every such test takes (open the dialog the way the
// desk does, add the Acme Roofing page).

#include "config/page_admin.h"
#include "config/secret_store.h"
#include "fake_graph_server.h"
#include "page_editor.h"
#include "pages_dialog.h"
#include "temp_store.h"

#include <QDir>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

#include <memory>

namespace leadkeeper::test {

inline const QString kPageId = QStringLiteral("1029384756473829");
inline const QString kFormId = QStringLiteral("5647382910564738");
inline const QString kToken = QStringLiteral("EAAGtestpagetoken0000a1b2");

class PagesDialogEnv
{
public:
    TempStore store;
    FakeGraphServer graph{2};

    bool isValid() const { return store.isValid() && graph.isListening(); }

    PageAdminContext context() const
    {
        PageAdminContext c;
        c.databasePath = store.databasePath();
        c.secrets.backend = SecretStore::Backend::File;
        c.secrets.directory = QDir(store.dir()).filePath(QStringLiteral("secrets"));
        c.secrets.honourEnvironment = false;
        c.graphUrl = graph.baseUrl();
        c.graphVersion = QStringLiteral("v24.0");
        c.graphTimeoutMs = 5000;
        return c;
    }

    /// A new dialog on the store, shown, after it loaded its pages (*loaded false: it never did).
    std::unique_ptr<ui::PagesDialog> openDialog(bool *loaded) const
    {
        auto dialog = std::make_unique<ui::PagesDialog>(context());
        QSignalSpy spy(dialog.get(), &ui::PagesDialog::pagesLoaded);
        dialog->show();
        *loaded = spy.wait(5000);
        return dialog;
    }

    /// Saves page kPageId "Acme Roofing" (region DE, token kToken) through the dialog's editor;
    /// false if Save was not possible or the save did not finish.
    static bool addPage(ui::PagesDialog *dialog)
    {
        ui::PageEditor *editor = dialog->pageEditor();
        editor->pageIdEdit()->setText(kPageId);
        editor->nameEdit()->setText(QStringLiteral("Acme Roofing"));
        editor->regionEdit()->setText(QStringLiteral("DE"));
        editor->tokenEdit()->setText(kToken);
        QSignalSpy saved(editor, &ui::PageEditor::pageSaved);
        if (!editor->saveButton()->isEnabled())
            return false;
        QTest::mouseClick(editor->saveButton(), Qt::LeftButton);
        return saved.wait(5000);
    }
};

} // namespace leadkeeper::test

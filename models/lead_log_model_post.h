#pragma once

// LeadLogModel::post(), shared by the files that make up LeadLogModel (not a public header).

#include "lead_log_model.h"
#include "lead_log_reader.h"

namespace leadkeeper {

// Runs `read` on the reader thread and `apply(current, result, error, shift)` back here; results
// of an older generation arrive with current false, and `shift` is the number of rows inserted at
// the top since the job was posted (its positions are that much too small). A read whose
// generation is over before it starts is not run (unless runWhenStale): a text filter typed
// letter by letter would otherwise build the match set of every prefix.
template<typename Result, typename Read, typename Apply>
void LeadLogModel::post(Read read, Apply apply, bool runWhenStale)
{
    const quint64 generation = m_generation;
    const qint64 shift = m_topShift;
    m_reader->post([this, generation, shift, runWhenStale, read = std::move(read),
                    apply = std::move(apply)](LeadLogQuery *query, const QString &openError) {
        QString error = openError;
        std::optional<Result> result;
        if (query && (runWhenStale || generation == m_generation.load()))
            result = read(*query, &error);
        QMetaObject::invokeMethod(
            this,
            [this, generation, shift, apply, result = std::move(result), error]() mutable {
                apply(generation == m_generation, std::move(result), error, m_topShift - shift);
            },
            Qt::QueuedConnection);
    });
}

} // namespace leadkeeper

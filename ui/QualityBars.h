#pragma once

#include <earshot/EngineTypes.h>

#include <QWidget>

namespace earshot::ui {

// Connection quality as four signal bars (like a phone's), coloured by the engine's quality
// level; the tooltip gives the numbers behind it (RTT, loss, jitter, MOS).
class QualityBars : public QWidget {
    Q_OBJECT

public:
    explicit QualityBars(QWidget* parent = nullptr);

    void setQuality(const PlayStreamQuality& quality);
    [[nodiscard]] StreamQualityLevel qualityLevel() const { return m_level; }

    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    StreamQualityLevel m_level = StreamQualityLevel::Unknown;
};

} // namespace earshot::ui

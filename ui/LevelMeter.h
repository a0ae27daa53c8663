#pragma once

#include <QWidget>

namespace earshot::ui {

// A horizontal audio level bar, 0..100, that rises at once and falls back smoothly, as level
// meters in voice apps do (a bar that drops instantly flickers between the 100 ms updates).
// An optional threshold mark shows where voice activation opens.
class LevelMeter : public QWidget {
    Q_OBJECT

public:
    explicit LevelMeter(QWidget* parent = nullptr);

    void setLevel(float level);
    [[nodiscard]] float level() const { return m_level; }
    // -1 hides the mark.
    void setThreshold(int threshold);
    // The bar is drawn in the "speaking" colour while active.
    void setActive(bool active);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    void timerEvent(QTimerEvent* event) override;

private:
    float m_level = 0.0f;     // the last level set
    float m_shown = 0.0f;     // what the bar shows, decaying towards m_level
    int m_threshold = -1;
    bool m_active = false;
    int m_decayTimer = 0;
};

} // namespace earshot::ui

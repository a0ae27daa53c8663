#pragma once

#include "ThemeMode.h"

namespace earshot::ui {

// The app's appearance: the Fusion style (the same on every desktop) with a light or dark
// palette. System keeps the platform's own palette.
class Theme {
public:
    static void apply(ThemeMode mode);
};

} // namespace earshot::ui

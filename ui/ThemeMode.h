#pragma once

namespace earshot::ui {

enum class ThemeMode { System = 0, Light = 1, Dark = 2 };

} // namespace earshot::ui
